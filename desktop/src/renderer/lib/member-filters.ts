import type { HandlerArgs } from '../../core/contract';

export type MemberFilter = NonNullable<HandlerArgs<'members/list'>['filter']>;

/** The filters offered on the members list, in display order. */
export const MEMBER_FILTERS: readonly { value: MemberFilter; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'active', label: 'Active' },
  { value: 'expiring', label: 'Expiring' },
  { value: 'expired', label: 'Expired' },
  { value: 'frozen', label: 'Frozen' },
  { value: 'dues', label: 'Dues' },
];
