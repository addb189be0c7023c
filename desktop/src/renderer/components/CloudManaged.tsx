import { Alert } from '@mantine/core';

/** Said where a paired desk shows what only the cloud changes (the desk refuses such edits). */
export function CloudManaged({ what }: { what: string }) {
  return (
    <Alert color="blue" data-testid="cloud-managed">
      This desk is paired with the cloud: the owner changes {what} there, and every desk gets the change.
    </Alert>
  );
}
