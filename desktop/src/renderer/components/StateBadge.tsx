import { Badge, type BadgeProps } from '@mantine/core';
import type { MemberStatus } from '../../core/contract';

type State = MemberStatus['state'];

const LOOK: Record<State, { color: string; label: string }> = {
  active: { color: 'green', label: 'Active' },
  expiring: { color: 'yellow', label: 'Expiring' },
  grace: { color: 'orange', label: 'In grace' },
  expired: { color: 'red', label: 'Expired' },
  frozen: { color: 'cyan', label: 'Frozen' },
  pending: { color: 'gray', label: 'Not started' },
  cancelled: { color: 'dark', label: 'Cancelled' },
  none: { color: 'gray', label: 'No membership' },
};

export function StateBadge({ state, ...props }: { state: State } & BadgeProps) {
  const { color, label } = LOOK[state];
  return (
    <Badge color={color} variant="light" {...props}>
      {label}
    </Badge>
  );
}
