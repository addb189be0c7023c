import { Button } from '@mantine/core';

/** The quiet red action at the end of a table row: remove a fingerprint, revoke a card, drop a login. */
export function RowRemoveButton({ label, onClick, loading = false, testId, children = 'Remove' }: { label: string; onClick: () => void; loading?: boolean; testId: string; children?: string }) {
  return (
    <Button size="compact-sm" variant="subtle" color="red" loading={loading} onClick={onClick} aria-label={label} data-testid={testId}>
      {children}
    </Button>
  );
}
