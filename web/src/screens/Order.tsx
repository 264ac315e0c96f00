import { useRef, useState, type FormEvent } from 'react';
import { api, errorText, get } from '../api';
import { Alert, Status } from '../components/Messages';
import { ScreenHeading } from '../components/Heading';
import { useParticipant } from '../context';
import { age, plural } from '../format';
import { useLiveEvent, useRefreshOnFocus, useResource } from '../hooks';
import type { BobaInfo, Order, OrderEvent, OrdersById } from '../api-types';

/** The menu. The server takes any text; these are what the kitchen makes. Defaults match the server's. */
const MENU = {
  size: ['Small', 'Medium', 'Large'],
  flavour: [
    'HK Milk Tea',
    'Taro Milk Tea',
    'Brown Sugar Milk',
    'Matcha Latte',
    'Thai Milk Tea',
    'Jasmine Green Tea',
    'Mango Green Tea',
    'Wintermelon Tea',
  ],
  sweetness: ['0% Sweet', '25% Sweet', '50% Sweet', '75% Sweet', '100% Sweet'],
  ice: ['No Ice', 'Less Ice', 'Regular Ice', 'Extra Ice'],
  toppings: ['None', 'Tapioca Pearls', 'Grass Jelly', 'Pudding', 'Lychee Jelly', 'Red Bean', 'Aloe Vera'],
} as const;

type Choice = keyof typeof MENU;
const FIELDS: { field: Choice; label: string }[] = [
  { field: 'size', label: 'Size' },
  { field: 'flavour', label: 'Flavour' },
  { field: 'sweetness', label: 'Sweetness' },
  { field: 'ice', label: 'Ice' },
  { field: 'toppings', label: 'Toppings' },
];
const DEFAULTS: Record<Choice, string> = {
  size: 'Medium',
  flavour: 'HK Milk Tea',
  sweetness: '50% Sweet',
  ice: 'Regular Ice',
  toppings: 'None',
};

const drinkText = (order: Order) =>
  `${order.size} ${order.flavour} · ${order.sweetness} · ${order.ice} · ${order.toppings === 'None' ? 'no toppings' : order.toppings}`;

const STEPS = ['Placed', 'In Progress', 'Out for Delivery', 'Delivered'] as const;

/** #/order: order boba, follow each order's status live, cancel while Placed. */
export function OrderScreen() {
  const participant = useParticipant();
  const info = useResource((signal) => get<BobaInfo>('/boba_info', { signal }));
  // Live changes that arrive while the list is being re-read are applied on top of what the read returns.
  const recent = useRef(new Map<string, Order>());
  const orders = useResource(async (signal) => {
    recent.current.clear();
    const fresh = await get<OrdersById>('/boba', { signal });
    return { ...fresh, ...Object.fromEntries(recent.current) };
  });
  const [choice, setChoice] = useState<Record<Choice, string>>(DEFAULTS);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');
  const [cancelling, setCancelling] = useState<string | null>(null);

  useLiveEvent<OrderEvent>('order', (event) => {
    if (event.order.participant_id !== participant.id) return;
    recent.current.set(String(event.order_id), event.order);
    orders.setData((current) => ({ ...current, [String(event.order_id)]: event.order }));
  });
  useRefreshOnFocus(orders.reload);

  const cost = info.data?.boba_tokens_per_order;

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setStatus('');
    setError('');
    try {
      const placed = await api<OrdersById>('POST', '/boba', { participant_id: participant.id, ...choice });
      orders.setData((current) => ({ ...current, ...placed }));
      const [id] = Object.keys(placed);
      setStatus(`Order #${id} placed. We will bring it to you.`);
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  }

  async function cancel(id: string) {
    setCancelling(id);
    setStatus('');
    setError('');
    try {
      const updated = await api<OrdersById>('PUT', '/boba', { order_id: Number(id), status: 'Cancelled' });
      orders.setData((current) => ({ ...current, ...updated }));
      setStatus(`Order #${id} cancelled. Your tokens are back.`);
    } catch (failure) {
      setError(errorText(failure));
      orders.reload();
    } finally {
      setCancelling(null);
    }
  }

  const list = Object.entries(orders.data ?? {}).sort(([a], [b]) => Number(b) - Number(a));

  return (
    <section className="screen">
      <ScreenHeading>Order boba</ScreenHeading>
      <p className="lead">
        You have {plural(participant.bbt_tokens, 'token')}
        {cost !== undefined ? `; a drink costs ${plural(cost, 'token')}.` : '.'}
      </p>
      <form className="card form" onSubmit={(event) => void onSubmit(event)}>
        {FIELDS.map(({ field, label }) => (
          <div className="field" key={field}>
            <label htmlFor={`order-${field}`}>{label}</label>
            <select
              id={`order-${field}`}
              name={field}
              value={choice[field]}
              onChange={(event) => setChoice((current) => ({ ...current, [field]: event.target.value }))}
            >
              {MENU[field].map((option) => (
                <option key={option} value={option}>
                  {option}
                </option>
              ))}
            </select>
          </div>
        ))}
        <button type="submit" className="button primary big" disabled={busy}>
          {cost !== undefined ? `Order boba (${plural(cost, 'token')})` : 'Order boba'}
        </button>
      </form>
      <Status>{status}</Status>
      <Alert>{error || orders.error}</Alert>

      <h2>My orders</h2>
      {orders.data && list.length === 0 && <p className="muted">No orders yet.</p>}
      <ul className="cards">
        {list.map(([id, order]) => (
          <li
            key={id}
            className={`card order status-${order.status.replace(/\s+/g, '-').toLowerCase()}`}
            data-testid={`order-${id}`}
          >
            <h3>Order #{id}</h3>
            <p>{drinkText(order)}</p>
            <p className="order-status">
              Status: <strong>{order.status}</strong>
            </p>
            {order.status !== 'Cancelled' && (
              <div className="progress" aria-hidden="true">
                <div style={{ width: `${((STEPS.indexOf(order.status) + 1) / STEPS.length) * 100}%` }} />
              </div>
            )}
            <p className="muted small">Ordered {age(order.created_at)}</p>
            {order.status === 'Placed' && (
              <button type="button" className="button danger" disabled={cancelling === id} onClick={() => void cancel(id)}>
                Cancel order
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
