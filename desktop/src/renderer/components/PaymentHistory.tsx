import { Button, Table, Text } from '@mantine/core';
import type { HandlerResult } from '../../core/contract';
import { useFormat } from '../hooks/useDeskInfo';
import { Money } from './Money';
import { PAYMENT_METHOD } from './PaymentFields';

type Payment = HandlerResult<'members/get'>['payments'][number];

export function PaymentHistory({ payments, onReceipt }: { payments: readonly Payment[]; onReceipt: (invoiceId: string) => void }) {
  const format = useFormat();
  if (payments.length === 0) return <Text c="dimmed">No payments yet.</Text>;
  return (
    <Table striped aria-label="Payments" data-testid="payment-history">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Received</Table.Th>
          <Table.Th>Method</Table.Th>
          <Table.Th>Reference</Table.Th>
          <Table.Th ta="right">Amount</Table.Th>
          <Table.Th>Invoice</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {payments.map((p) => (
          <Table.Tr key={p.id}>
            <Table.Td>{format.dateTime(p.receivedAt)}</Table.Td>
            <Table.Td>{PAYMENT_METHOD[p.method].label}</Table.Td>
            <Table.Td>{p.reference ?? '—'}</Table.Td>
            <Table.Td ta="right">
              <Money paise={p.amountPaise} />
            </Table.Td>
            <Table.Td>
              <Button size="compact-sm" variant="subtle" onClick={() => onReceipt(p.invoiceId)} aria-label={`Receipt ${p.invoiceNumber}`}>
                {p.invoiceNumber}
              </Button>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
