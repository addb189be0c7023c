import { type Kysely, sql } from 'kysely';

// Frozen once landed. WhatsApp notifications (issue 6): reminders and receipts, one row per message.
//
// - `notifications`: the outbox and its history. A row is born `queued` with the instant it may go out
//   (`send_after`, already moved out of the gym's quiet hours); the dispatcher hands due rows to pg-boss
//   send jobs (`job_id`, a lease: a job silent for 30 minutes is presumed lost), and the send records
//   the outcome. At most one message per member, template
//   and due date (`ref` tells apart receipts of two payments on one day), so a scan run twice, or a
//   reminder enqueued twice, sends once.
// - `notification_settings`: a gym's quiet hours, its WhatsApp phone-number id (how a provider webhook
//   finds the gym) and the local date of its last daily scan. No row means the defaults.
// - `notification_opt_outs`: phones that replied STOP; nothing more is sent to them.
// - Three look-ups the background jobs and the public webhook need before a gym is known, built like the
//   auth look-ups (migration 2026_11_22_0002): SECURITY DEFINER functions owned by the owner role that
//   turn on `app.notification_lookup` around one query, which a select policy for the owner role admits.

const OWNER_ROLE = 'gymstack_owner';
const API_ROLE = 'gymstack_api';
const tenant = '(gym_id = (select current_gym_id()))';
const lookup = `current_setting('app.notification_lookup', true) = 'on'`;

const templates = [
  'welcome_member',
  'renewal_reminder_7d',
  'renewal_reminder_3d',
  'renewal_reminder_1d',
  'renewal_reminder_0d',
  'expiry_notice',
  'expired_7d',
  'payment_receipt',
  'payment_link',
  'birthday_wish',
];
const statuses = ['queued', 'sent', 'delivered', 'read', 'failed', 'dead', 'simulated', 'cancelled', 'skipped'];
const list = (values: string[]) => values.map((v) => `'${v}'`).join(', ');
const clockTime = `~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'`;

const functions: { signature: string; returns: string; body: string }[] = [
  {
    // Gyms whose local morning (the end of their quiet hours) has come and whose day is not scanned yet.
    signature: 'notification_gyms_to_scan(p_now timestamptz)',
    returns: 'table (gym_id uuid, local_date date)',
    body: `select g.id, (p_now at time zone g.time_zone)::date from public.gyms g
           left join public.notification_settings s on s.gym_id = g.id
           where g.deleted_at is null
             and to_char(p_now at time zone g.time_zone, 'HH24:MI') >= coalesce(s.quiet_end, '08:00')
             and s.scanned_on is distinct from (p_now at time zone g.time_zone)::date`,
  },
  {
    signature: 'notification_due(p_now timestamptz, p_limit integer)',
    returns: 'table (gym_id uuid, id uuid)',
    body: `select n.gym_id, n.id from public.notifications n
           where n.status in ('queued', 'failed') and n.send_after <= p_now
             and (n.job_id is null or n.updated_at < p_now - interval '30 minutes')
           order by n.send_after limit p_limit`,
  },
  {
    signature: 'notification_gym_by_phone_number_id(p_phone_number_id text)',
    returns: 'table (gym_id uuid)',
    body: 'select s.gym_id from public.notification_settings s where s.whatsapp_phone_number_id = p_phone_number_id',
  },
];

async function run(db: Kysely<unknown>, statements: string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

const isolate = (table: string) => [
  `alter table ${table} enable row level security`,
  `alter table ${table} force row level security`,
  `create policy tenant_isolation on ${table} using ${tenant} with check ${tenant}`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    `create table notification_settings (
       gym_id uuid primary key references gyms (id),
       quiet_start text not null default '21:00' check (quiet_start ${clockTime}),
       quiet_end text not null default '08:00' check (quiet_end ${clockTime}),
       whatsapp_phone_number_id text,
       language text not null default 'en' check (language ~ '^[a-z]{2}(_[A-Z]{2})?$'),
       scanned_on date,
       updated_at timestamptz not null default now()
     )`,
    // A phone number sends for one gym: the webhook's only clue to the tenant.
    'create unique index notification_settings_phone_number on notification_settings (whatsapp_phone_number_id)',
    ...isolate('notification_settings'),
    `grant select, insert, update on notification_settings to ${API_ROLE}`,

    `create table notifications (
       gym_id uuid not null references gyms (id),
       id uuid not null,
       member_id uuid not null,
       template text not null check (template in (${list(templates)})),
       due_on date not null,
       ref text not null default '',
       end_date date,
       data jsonb not null,
       status text not null default 'queued' check (status in (${list(statuses)})),
       error text,
       attempts integer not null default 0 check (attempts >= 0),
       send_after timestamptz not null,
       job_id uuid,
       provider text check (provider in ('whatsapp_cloud', 'gupshup', 'simulated')),
       provider_message_id text,
       to_phone text,
       body text,
       sent_at timestamptz,
       sent_on date,
       delivered_at timestamptz,
       read_at timestamptz,
       created_at timestamptz not null default now(),
       updated_at timestamptz not null default now(),
       primary key (gym_id, id),
       unique (gym_id, member_id, template, due_on, ref),
       foreign key (gym_id, member_id) references members (gym_id, id)
     )`,
    'create index notifications_created on notifications (gym_id, created_at desc)',
    'create index notifications_sent_on on notifications (gym_id, sent_on) where sent_on is not null',
    'create index notifications_provider_message on notifications (gym_id, provider_message_id)',
    // The dispatcher's look-up across gyms: only rows waiting for a send (or whose send job was lost).
    `create index notifications_due on notifications (send_after) where status in ('queued', 'failed')`,
    ...isolate('notifications'),
    `grant select, insert, update on notifications to ${API_ROLE}`,

    `create table notification_opt_outs (
       gym_id uuid not null references gyms (id),
       phone text not null,
       opted_out_at timestamptz not null default now(),
       primary key (gym_id, phone)
     )`,
    ...isolate('notification_opt_outs'),
    `grant select, insert, delete on notification_opt_outs to ${API_ROLE}`,

    ...['gyms', 'notification_settings', 'notifications'].map((table) => `create policy notification_lookup on ${table} for select to ${OWNER_ROLE} using (${lookup})`),
  ]);
  for (const { signature, returns, body } of functions) {
    await run(db, [
      `create function ${signature} returns ${returns} language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
         #variable_conflict use_column
         declare prior text := current_setting('app.notification_lookup', true);
         begin
           perform set_config('app.notification_lookup', 'on', true);
           return query ${body};
           perform set_config('app.notification_lookup', coalesce(prior, ''), true);
         end $$`,
      `revoke all on function ${signature} from public`,
      `grant execute on function ${signature} to ${API_ROLE}`,
    ]);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    ...functions.map((f) => `drop function ${f.signature}`),
    'drop policy notification_lookup on gyms',
    'drop table notification_opt_outs',
    'drop table notifications',
    'drop table notification_settings',
  ]);
}
