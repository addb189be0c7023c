import { Alert, Button, Group, Stack } from '@mantine/core';
import type { ReactNode } from 'react';

export interface FormFrameProps {
  onSubmit: () => void;
  submitLabel: string;
  submitColor?: string;
  submitTestId?: string;
  pending: boolean;
  /** A message no single field carries. */
  error: string | null;
  /** Shows a Close button. */
  onClose?: () => void;
  children: ReactNode;
}

/** A form's fields, its form-level error, and its buttons; Enter submits. */
export function FormFrame({ onSubmit, submitLabel, submitColor, submitTestId, pending, error, onClose, children }: FormFrameProps) {
  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit();
      }}
    >
      <Stack gap="sm">
        {children}
        {error && (
          <Alert color="red" role="alert" data-testid="form-error">
            {error}
          </Alert>
        )}
        <Group justify="flex-end">
          {onClose && (
            <Button variant="default" onClick={onClose}>
              Close
            </Button>
          )}
          <Button type="submit" color={submitColor} loading={pending} data-testid={submitTestId}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
