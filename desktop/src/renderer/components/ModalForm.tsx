import { Modal, type MantineSize } from '@mantine/core';
import { FormFrame, type FormFrameProps } from './FormFrame';

interface ModalFormProps extends FormFrameProps {
  title: string;
  onClose: () => void;
  size?: MantineSize | number;
}

/** A dialog holding one form. Render it only while open, so each opening starts fresh. */
export function ModalForm({ title, size = 'md', ...form }: ModalFormProps) {
  return (
    <Modal opened onClose={form.onClose} title={title} size={size}>
      <FormFrame {...form} />
    </Modal>
  );
}
