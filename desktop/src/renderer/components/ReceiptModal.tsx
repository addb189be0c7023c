import { Modal } from '@mantine/core';
import { ReceiptView } from './ReceiptView';

export function ReceiptModal({ invoiceId, onClose }: { invoiceId: string; onClose: () => void }) {
  return (
    <Modal opened onClose={onClose} title="Receipt" size={900}>
      <ReceiptView invoiceId={invoiceId} />
    </Modal>
  );
}
