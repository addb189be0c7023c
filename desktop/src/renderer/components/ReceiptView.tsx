import { Alert, Button, Group, Loader, Stack, Text } from '@mantine/core';
import { useRef } from 'react';
import { useDeskMutation, useDeskQuery } from '../hooks/useDesk';
import { downloadBase64 } from '../lib/download';
import { notifyError } from '../lib/notify';

/**
 * The GST tax invoice as the core renders it, in a sandboxed frame (no scripts run in it),
 * with Print (the frame's own print) and Download PDF.
 */
export function ReceiptView({ invoiceId, height = 480 }: { invoiceId: string; height?: number }) {
  const receipt = useDeskQuery('receipts/html', { invoiceId }, { staleTime: Infinity });
  const pdf = useDeskMutation('receipts/pdf');
  const frame = useRef<HTMLIFrameElement>(null);

  if (receipt.error) return <Alert color="red">{receipt.error.message}</Alert>;
  if (!receipt.data) return <Loader aria-label="Loading receipt" />;
  const download = () =>
    pdf.mutate({ invoiceId }, { onSuccess: ({ base64, fileName }) => downloadBase64(base64, fileName, 'application/pdf'), onError: notifyError });

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Text fw={600} data-testid="receipt-number">
          Invoice {receipt.data.number}
        </Text>
        <Group gap="sm">
          <Button onClick={() => frame.current?.contentWindow?.print()} data-testid="receipt-print">
            Print
          </Button>
          <Button variant="default" loading={pdf.isPending} onClick={download} data-testid="receipt-pdf">
            Download PDF
          </Button>
        </Group>
      </Group>
      <iframe
        ref={frame}
        title={`Receipt ${receipt.data.number}`}
        sandbox="allow-same-origin allow-modals"
        srcDoc={receipt.data.html}
        data-testid="receipt"
        style={{ width: '100%', height, border: '1px solid var(--mantine-color-default-border)', borderRadius: 8, background: 'white' }}
      />
    </Stack>
  );
}
