import { Alert, Button, Grid, Group, Loader, Paper, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { isLocalDate, renewalStart, rupeesToPaise, splitGst, termEnd } from '@gymstack/shared';
import type { HandlerResult } from '../../core/contract';
import { MemberSearchBox } from '../components/MemberSearchBox';
import { Money } from '../components/Money';
import { PaymentFields, paymentDraft, paymentInputOf } from '../components/PaymentFields';
import { PlanPicker, taxNote } from '../components/PlanPicker';
import { RadioCards } from '../components/RadioCards';
import { ReceiptView } from '../components/ReceiptView';
import { StateBadge } from '../components/StateBadge';
import { useDeskMutation, useDeskQuery } from '../hooks/useDesk';
import { useDeskInfo, useFormat } from '../hooks/useDeskInfo';
import { useNavigation } from '../hooks/useNavigation';
import { fieldErrors } from '../lib/field-errors';
import { paiseToInput, rupeesError } from '../lib/money';

type Profile = HandlerResult<'members/get'>;
type SaleResult = HandlerResult<'memberships/sell'>;
type Mode = 'renew' | 'new';

const FIELDS = ['planId', 'start', 'discountPaise', 'method', 'amountPaise', 'reference'];

function SummaryRow({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Group justify="space-between" wrap="nowrap">
      <Text c="dimmed">{label}</Text>
      <Text fw={600}>{children}</Text>
    </Group>
  );
}

function SaleForm({ profile, onChangeMember, onDone }: { profile: Profile; onChangeMember: () => void; onDone: (result: SaleResult) => void }) {
  const { member, status, memberships } = profile;
  const format = useFormat();
  const today = useDeskInfo().data?.today ?? '';
  const plans = useDeskQuery('plans/list', {});
  const live = memberships.filter((m) => m.cancelledAt === null);
  const [mode, setMode] = useState<Mode>(live.length > 0 ? 'renew' : 'new');
  const [planId, setPlanId] = useState<string | null>(null);
  const [start, setStart] = useState(today);
  const [discount, setDiscount] = useState('');
  const [takePayment, setTakePayment] = useState(true);
  const [draft, setDraft] = useState(() => paymentDraft(0));
  const [amountEdited, setAmountEdited] = useState(false);
  const sell = useDeskMutation('memberships/sell');
  const renew = useDeskMutation('memberships/renew');
  const saving = mode === 'renew' ? renew : sell;
  const errors = fieldErrors(saving.error, FIELDS, 'payment.');

  const plan = plans.data?.find((p) => p.id === planId) ?? null;
  const discountPaise = discount.trim() === '' ? 0 : rupeesToPaise(discount);
  const netPaise = plan ? Math.max(plan.pricePaise - (discountPaise ?? 0), 0) : 0;
  const totalPaise = plan ? splitGst({ amountPaise: netPaise, inclusive: plan.taxInclusive, rateBps: plan.gstRateBps, intraState: true }).totalPaise : 0;
  // The amount follows the total until the desk types a different (partial) amount.
  const shownDraft = amountEdited ? draft : { ...draft, amount: paiseToInput(totalPaise) };
  const latestEnd = live.reduce<string | null>((end, m) => (end === null || m.end > end ? m.end : end), null);
  const periodStart = mode === 'renew' ? today && renewalStart(latestEnd, today) : start;
  const periodEnd = plan && isLocalDate(periodStart) ? termEnd(periodStart, plan.duration) : null;

  const confirm = () => {
    const payment = takePayment ? paymentInputOf(shownDraft) : null;
    if (!plan || discountPaise === null || (takePayment && !payment)) return;
    const sale = { memberId: member.id, planId: plan.id, discountPaise, payment };
    if (mode === 'renew') renew.mutate(sale, { onSuccess: onDone });
    else sell.mutate({ ...sale, start }, { onSuccess: onDone });
  };

  return (
    <Grid gap="lg">
      <Grid.Col span={7}>
        <Stack gap="md">
          <Paper withBorder p="sm" radius="md">
            <Group justify="space-between" wrap="nowrap">
              <Stack gap={0}>
                <Text fw={700} size="lg" data-testid="sell-member">
                  {member.fullName}
                </Text>
                <Group gap="xs">
                  <Text c="dimmed">{member.code}</Text>
                  <StateBadge state={status.state} />
                  {status.end && <Text size="sm">ends {format.date(status.end)}</Text>}
                </Group>
              </Stack>
              <Button variant="subtle" onClick={onChangeMember}>
                Change member
              </Button>
            </Group>
          </Paper>
          {live.length > 0 && (
            <RadioCards
              label="Sale type"
              cols={2}
              options={[
                { value: 'renew', label: 'Renewal', detail: <Text size="sm" c="dimmed">Starts after the current term</Text> },
                { value: 'new', label: 'New membership', detail: <Text size="sm" c="dimmed">Starts on a date you choose</Text> },
              ]}
              value={mode}
              onChange={setMode}
              testId="sale-type"
            />
          )}
          {plans.error && <Alert color="red">{plans.error.message}</Alert>}
          <PlanPicker plans={plans.data ?? []} value={planId} onChange={setPlanId} error={errors.field('planId')} />
          <Group grow align="flex-start">
            {mode === 'new' && (
              <TextInput label="Start date" type="date" value={start} onChange={(e) => setStart(e.currentTarget.value)} error={errors.field('start')} data-testid="sale-start" />
            )}
            <TextInput
              label="Discount (₹)"
              inputMode="decimal"
              placeholder="0"
              value={discount}
              onChange={(e) => setDiscount(e.currentTarget.value)}
              error={rupeesError(discount, { optional: true }) ?? errors.field('discountPaise')}
              data-testid="sale-discount"
            />
          </Group>
        </Stack>
      </Grid.Col>
      <Grid.Col span={5}>
        <Paper withBorder p="md" radius="md">
          <Stack gap="sm">
            <Title order={3}>{mode === 'renew' ? 'Renewal' : 'New membership'}</Title>
            <SummaryRow label="Period">{periodEnd ? `${format.date(periodStart)} – ${format.date(periodEnd)}` : '—'}</SummaryRow>
            <SummaryRow label="Plan price">{plan ? <Money paise={plan.pricePaise} /> : '—'}</SummaryRow>
            {(discountPaise ?? 0) > 0 && (
              <SummaryRow label="Discount">
                <Money paise={-(discountPaise ?? 0)} />
              </SummaryRow>
            )}
            <SummaryRow label={plan ? `Total (${taxNote(plan)})` : 'Total'}>
              <Money paise={totalPaise} fz="xl" data-testid="sale-total" />
            </SummaryRow>
            <Switch label="Take payment now" checked={takePayment} onChange={(e) => setTakePayment(e.currentTarget.checked)} />
            {takePayment && (
              <PaymentFields
                value={shownDraft}
                onChange={(next) => {
                  setDraft(next);
                  if (next.amount !== shownDraft.amount) setAmountEdited(true);
                }}
                error={errors.field}
              />
            )}
            {errors.form && (
              <Alert color="red" role="alert" data-testid="form-error">
                {errors.form}
              </Alert>
            )}
            <Button size="lg" onClick={confirm} disabled={!plan} loading={saving.isPending} data-testid="sell-confirm">
              Confirm sale
            </Button>
          </Stack>
        </Paper>
      </Grid.Col>
    </Grid>
  );
}

function SaleDone({ result, member, onNext }: { result: SaleResult; member: Profile['member']; onNext: () => void }) {
  const { navigate } = useNavigation();
  const paidPaise = result.payment?.amountPaise ?? 0;
  return (
    <Stack gap="sm">
      <Group justify="space-between" wrap="nowrap">
        <Text size="lg" fw={600} data-testid="sale-done">
          Sold {result.membership.plan.name} to {member.fullName} · paid <Money paise={paidPaise} />
          {paidPaise < result.membership.pricePaise && (
            <Text component="span" c="red" inherit>
              {' '}
              · due <Money paise={result.membership.pricePaise - paidPaise} />
            </Text>
          )}
        </Text>
        <Group gap="sm" wrap="nowrap">
          <Button variant="default" onClick={() => navigate({ screen: 'member', memberId: member.id })}>
            Open profile
          </Button>
          <Button onClick={onNext}>Next sale</Button>
        </Group>
      </Group>
      {result.invoice && <ReceiptView invoiceId={result.invoice.id} height={430} />}
    </Stack>
  );
}

/** Sell a first membership or renew one, take the payment, and print the receipt. */
export function SellScreen({ memberId: initialMemberId }: { memberId?: string }) {
  const [memberId, setMemberId] = useState(initialMemberId ?? null);
  const [done, setDone] = useState<SaleResult | null>(null);
  const profile = useDeskQuery('members/get', { memberId: memberId ?? '' }, { enabled: memberId !== null });

  const restart = () => {
    setDone(null);
    setMemberId(null);
  };
  let body: ReactNode;
  if (done && profile.data) body = <SaleDone result={done} member={profile.data.member} onNext={restart} />;
  else if (!memberId) body = <MemberSearchBox label="Member" autoFocus onPick={(m) => setMemberId(m.id)} testId="sell-member-search" />;
  else if (profile.error) body = <Alert color="red">{profile.error.message}</Alert>;
  else if (!profile.data) body = <Loader aria-label="Loading member" />;
  else body = <SaleForm profile={profile.data} onChangeMember={() => setMemberId(null)} onDone={setDone} />;

  return (
    <Stack gap="md">
      <Title order={2}>Sell / renew</Title>
      {body}
    </Stack>
  );
}
