/**
 * Gyms ready to be paid online: each seeded like the cloud bench's gyms (bench/cloud/seed.ts), with a
 * Razorpay account saved by the product's own `saveRazorpayAccount` (secrets sealed with the key the
 * server will read from its data dir), and open orders and payment links as `POST /payments/orders` and
 * `POST /members/:id/payment-links` leave them, written in SQL so no Razorpay stand-in is needed.
 *
 * Order k of gym g is for member k, on the Monthly plan as quoted: even k an order (paid by `order.paid`),
 * odd k a payment link (paid by `payment_link.paid`, whose Razorpay order is first named by that event);
 * either a renewal when the member has a live term, else a sale, as the product decides. The Razorpay
 * ids are made from (g, k) so the events can be built without a look-up.
 */
import { randomBytes } from 'node:crypto';
import { createDb, createPool, withTenant } from '@gymstack/cloud';
import pg from 'pg';
import { saveRazorpayAccount } from '../../cloud/src/domain/razorpay-accounts.js';
import { benchId, plans, seedGym, snapshot, V7 } from '../cloud/seed.js';

export interface PayableOrder {
  gymId: string;
  kind: 'order' | 'payment_link';
  /** `order_…` or `plink_…`, what Razorpay answered when it was made. */
  razorpayId: string;
  /** The Razorpay order the payment is for (for a link, the one Razorpay makes behind it). */
  razorpayOrderId: string;
  paymentId: string;
  amountPaise: number;
}

export interface PayableGyms {
  gymIds: string[];
  webhookSecret: string;
  orders: PayableOrder[];
}

const MONTHLY = plans[0]!;

/** Seeds `gyms` gyms of `members` members, each with `ordersPerGym` open orders and links (as the owner role). */
export async function seedPayableGyms(ownerUrl: string, kek: Buffer, gyms: number, members: number, ordersPerGym: number): Promise<PayableGyms> {
  if (ordersPerGym > members) throw new Error('one order per member: ordersPerGym must not exceed members');
  const webhookSecret = randomBytes(24).toString('hex');
  const client = new pg.Client({ connectionString: ownerUrl });
  const pool = createPool(ownerUrl, { max: 1 });
  const db = createDb(pool);
  await client.connect();
  try {
    const gymIds: string[] = [];
    const orders: PayableOrder[] = [];
    for (let g = 1; g <= gyms; g++) {
      const gym = await seedGym(client, g, members);
      gymIds.push(gym.gymId);
      const scope = { gymId: gym.gymId, userId: gym.ownerId, role: 'owner' as const, branchIds: [], memberId: null, deviceId: null, ip: '127.0.0.1' };
      await withTenant(db, scope, (trx) => saveRazorpayAccount(trx, scope, kek, { keyId: 'rzp_test_BenchMoney01', keySecret: 'bench-key-secret', webhookSecret }));
      await client.query('begin');
      await client.query(`select set_config('app.gym_id', $1, true)`, [gym.gymId]);
      await client.query(
        `insert into razorpay_orders (gym_id, id, kind, sale, branch_id, member_id, plan_id, plan, amount_paise, currency, status, razorpay_id, razorpay_order_id, created_by)
         select $1, ${V7}, case when k % 2 = 0 then 'order' else 'payment_link' end,
                case when exists (select 1 from memberships t where t.member_id = m.id and t.cancelled_at is null and t.deleted_at is null) then 'renew' else 'sell' end,
                m.branch_id, m.id, $2, $7::jsonb, $3, 'INR', 'created',
                case when k % 2 = 0 then 'order_g' || $5::int || 'k' || k else 'plink_g' || $5::int || 'k' || k end,
                case when k % 2 = 0 then 'order_g' || $5::int || 'k' || k end, $6
         from generate_series(1, $4::int) k join members m on m.code = 'M' || k`,
        [gym.gymId, benchId(g, 4, 1), MONTHLY.pricePaise, ordersPerGym, g, gym.ownerId, JSON.stringify(snapshot(MONTHLY))],
      );
      await client.query('commit');
      for (let k = 1; k <= ordersPerGym; k++) {
        const link = k % 2 === 1;
        orders.push({
          gymId: gym.gymId,
          kind: link ? 'payment_link' : 'order',
          razorpayId: link ? `plink_g${g}k${k}` : `order_g${g}k${k}`,
          razorpayOrderId: link ? `order_g${g}L${k}` : `order_g${g}k${k}`,
          paymentId: `pay_g${g}k${k}`,
          amountPaise: MONTHLY.pricePaise,
        });
      }
    }
    await client.query('vacuum analyze');
    return { gymIds, webhookSecret, orders };
  } finally {
    await client.end();
    await db.destroy();
  }
}
