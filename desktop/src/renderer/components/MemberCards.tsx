import { Stack, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useDeskMutation } from '../hooks/useDesk';
import { useScanField } from '../hooks/useScans';
import { fieldErrors } from '../lib/field-errors';
import { notifyError } from '../lib/notify';
import { FormFrame } from './FormFrame';
import { RowRemoveButton } from './RowRemoveButton';

/**
 * The member's door cards, each with Revoke, and a box to assign one more: typed, or scanned by the
 * desk's wedge reader, which assigns the card at once instead of checking its holder in. The core's
 * refusal shows beside the box.
 */
export function MemberCards({ memberId, cards }: { memberId: string; cards: readonly string[] }) {
  const [number, setNumber] = useState('');
  const assign = useDeskMutation('cards/assign');
  const revoke = useDeskMutation('cards/revoke');
  const errors = fieldErrors(assign.error, ['number']);
  const assignCard = (value: string) => assign.mutate({ memberId, number: value }, { onSuccess: () => setNumber('') });
  const scanRef = useScanField((code) => {
    setNumber(code);
    assignCard(code);
  });

  return (
    <Stack gap="md" maw={560}>
      {cards.length === 0 ? (
        <Text c="dimmed">No cards yet.</Text>
      ) : (
        <Table striped aria-label="Cards" data-testid="card-list">
          <Table.Tbody>
            {cards.map((card) => (
              <Table.Tr key={card}>
                <Table.Td ff="monospace" fz="lg">
                  {card}
                </Table.Td>
                <Table.Td ta="right">
                  <RowRemoveButton
                    label={`Revoke card ${card}`}
                    testId="card-revoke"
                    loading={revoke.isPending && revoke.variables.number === card}
                    onClick={() => revoke.mutate({ memberId, number: card }, { onError: notifyError })}
                  >
                    Revoke
                  </RowRemoveButton>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <FormFrame
        onSubmit={() => assignCard(number)}
        submitLabel="Assign card"
        submitTestId="card-assign"
        pending={assign.isPending}
        error={null}
      >
        <TextInput
          ref={scanRef}
          label="Card number"
          description="Type it, or scan the card with the reader"
          autoComplete="off"
          value={number}
          onChange={(e) => setNumber(e.currentTarget.value)}
          error={errors.field('number') ?? errors.form}
          data-testid="card-number"
        />
      </FormFrame>
    </Stack>
  );
}
