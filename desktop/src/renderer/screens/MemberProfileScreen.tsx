import { Alert, Button, Group, Loader, Paper, Stack, Tabs, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { MembershipView } from '@gymstack/shared';
import type { HandlerResult } from '../../core/contract';
import { CancelMembershipModal } from '../components/CancelMembershipModal';
import { CheckinTable } from '../components/CheckinTable';
import { FreezeModal } from '../components/FreezeModal';
import { MemberCards } from '../components/MemberCards';
import { MemberFingerprints } from '../components/MemberFingerprints';
import { MemberFormModal } from '../components/MemberFormModal';
import { MemberMessages } from '../components/MemberMessages';
import { MemberPhoto } from '../components/MemberPhoto';
import { MembershipHistory, type MembershipAction } from '../components/MembershipHistory';
import { Money } from '../components/Money';
import { PassQrModal } from '../components/PassQrModal';
import { PaymentHistory } from '../components/PaymentHistory';
import { PhotoButton } from '../components/PhotoButton';
import { ReceiptModal } from '../components/ReceiptModal';
import { RecordPaymentModal } from '../components/RecordPaymentModal';
import { StateBadge } from '../components/StateBadge';
import { useDeskMutation, useDeskQuery } from '../hooks/useDesk';
import { useFormat } from '../hooks/useDeskInfo';
import { useNavigation } from '../hooks/useNavigation';
import { useVerdict, verdictFromCheckin } from '../hooks/useVerdict';
import { notifyError } from '../lib/notify';

type Profile = HandlerResult<'members/get'>;
type Dialog = { kind: 'edit' | 'pass' } | { kind: MembershipAction; membership: MembershipView } | { kind: 'receipt'; invoiceId: string };

interface HeaderProps {
  profile: Profile;
  onEdit: () => void;
  onPay: (() => void) | null;
  onPass: () => void;
}

function ProfileHeader({ profile, onEdit, onPay, onPass }: HeaderProps) {
  const { member, status } = profile;
  const format = useFormat();
  const { navigate, back } = useNavigation();
  const { show } = useVerdict();
  const checkin = useDeskMutation('checkins/create');
  const checkIn = () =>
    checkin.mutate(
      { method: 'manual', memberId: member.id },
      {
        onSuccess: (result) => {
          show(verdictFromCheckin(result));
          navigate({ screen: 'checkin' });
        },
        onError: notifyError,
      },
    );

  return (
    <Paper withBorder p="md" radius="md">
      <Group align="flex-start" wrap="nowrap" gap="lg">
        <Stack gap={4} align="center">
          <MemberPhoto memberId={member.id} name={member.fullName} hasPhoto={member.hasPhoto} size={112} radius="md" />
          <PhotoButton memberId={member.id} />
        </Stack>
        <Stack gap={4} style={{ flex: 1 }} miw={0}>
          <Title order={2} data-testid="profile-name">
            {member.fullName}
          </Title>
          <Text c="dimmed">
            {[member.code, member.phone, member.email].filter(Boolean).join(' · ')}
          </Text>
          <Group gap="sm" mt={4}>
            <StateBadge state={status.state} size="lg" data-testid="profile-state" />
            {status.planName && <Text fw={600}>{status.planName}</Text>}
            {status.end && <Text>ends {format.date(status.end)}</Text>}
          </Group>
          {status.duePaise > 0 && (
            <Text c="red" fw={700} data-testid="profile-dues">
              Dues <Money paise={status.duePaise} />
            </Text>
          )}
          {member.medicalNotes && (
            <Text size="sm" c="orange.9">
              Medical: {member.medicalNotes}
            </Text>
          )}
        </Stack>
        <Stack gap="xs" w={190}>
          <Button onClick={checkIn} loading={checkin.isPending} data-testid="profile-checkin">
            Check in
          </Button>
          <Button variant="light" onClick={() => navigate({ screen: 'sell', memberId: member.id })} data-testid="profile-sell">
            Sell / renew
          </Button>
          <Button variant="light" onClick={onPass} data-testid="profile-pass">
            Show pass QR
          </Button>
          {onPay && (
            <Button variant="light" color="red" onClick={onPay} data-testid="profile-pay">
              Take payment
            </Button>
          )}
          <Group gap="xs" grow>
            <Button variant="default" onClick={onEdit}>
              Edit
            </Button>
            <Button variant="default" onClick={back}>
              Back
            </Button>
          </Group>
        </Stack>
      </Group>
    </Paper>
  );
}

/** One member: status and dues up top; memberships, payments, check-ins, cards, fingerprints and WhatsApp messages below; every action from here. */
export function MemberProfileScreen({ memberId }: { memberId: string }) {
  const profile = useDeskQuery('members/get', { memberId });
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const close = () => setDialog(null);

  if (profile.error) return <Alert color="red">{profile.error.message}</Alert>;
  if (!profile.data) return <Loader aria-label="Loading member" />;
  const { member, status, cards, memberships, payments, checkins } = profile.data;
  const current = memberships.find((m) => m.id === status.membershipId);

  return (
    <Stack gap="md">
      <ProfileHeader
        profile={profile.data}
        onEdit={() => setDialog({ kind: 'edit' })}
        onPay={current && current.duePaise > 0 ? () => setDialog({ kind: 'pay', membership: current }) : null}
        onPass={() => setDialog({ kind: 'pass' })}
      />
      <Tabs defaultValue="memberships" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="memberships">Memberships ({memberships.length})</Tabs.Tab>
          <Tabs.Tab value="payments">Payments ({payments.length})</Tabs.Tab>
          <Tabs.Tab value="checkins">Check-ins</Tabs.Tab>
          <Tabs.Tab value="cards">Cards ({cards.length})</Tabs.Tab>
          <Tabs.Tab value="fingerprints">Fingerprints</Tabs.Tab>
          <Tabs.Tab value="messages" data-testid="profile-messages-tab">
            Messages
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="memberships" pt="sm">
          <MembershipHistory memberships={memberships} onAction={(kind, membership) => setDialog({ kind, membership })} />
        </Tabs.Panel>
        <Tabs.Panel value="payments" pt="sm">
          <PaymentHistory payments={payments} onReceipt={(invoiceId) => setDialog({ kind: 'receipt', invoiceId })} />
        </Tabs.Panel>
        <Tabs.Panel value="checkins" pt="sm">
          <CheckinTable checkins={checkins} label="Check-ins" testId="member-checkins" />
        </Tabs.Panel>
        <Tabs.Panel value="cards" pt="sm">
          <MemberCards memberId={member.id} cards={cards} />
        </Tabs.Panel>
        <Tabs.Panel value="fingerprints" pt="sm">
          <MemberFingerprints member={member} />
        </Tabs.Panel>
        <Tabs.Panel value="messages" pt="sm">
          <MemberMessages memberId={member.id} />
        </Tabs.Panel>
      </Tabs>

      {dialog?.kind === 'edit' && <MemberFormModal member={member} onClose={close} onSaved={close} />}
      {dialog?.kind === 'pay' && <RecordPaymentModal membership={dialog.membership} onClose={close} onPaid={(invoiceId) => setDialog({ kind: 'receipt', invoiceId })} />}
      {dialog?.kind === 'freeze' && <FreezeModal membership={dialog.membership} onClose={close} />}
      {dialog?.kind === 'cancel' && <CancelMembershipModal membership={dialog.membership} onClose={close} />}
      {dialog?.kind === 'receipt' && <ReceiptModal invoiceId={dialog.invoiceId} onClose={close} />}
      {dialog?.kind === 'pass' && <PassQrModal member={member} onClose={close} />}
    </Stack>
  );
}
