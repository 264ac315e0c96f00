import { useEffect, useRef, useState, type FormEvent } from 'react';
import { errorText, get } from '../api';
import { Alert, Status } from '../components/Messages';
import { ScreenHeading } from '../components/Heading';
import { useParticipant } from '../context';
import { age, plural } from '../format';
import { useIntent, useLiveEvent, useNow, useRefreshOnFocus, useResource } from '../hooks';
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

/** The optional location, left out when only spaces were typed. */
const locationField = (typed: string) => (typed.trim() ? { location: typed.trim() } : {});

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
  const [location, setLocation] = useState('');
  // Ticket ages keep moving while the screen stays open.
  const now = useNow(30_000);
  const placing = useIntent();
  const cancelling = useIntent();
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');
  // The status each order was last shown with: a live change against it is announced to screen readers.
  const shownStatus = useRef(new Map<string, string>());
  const [announcement, setAnnouncement] = useState('');
  useEffect(() => {
    for (const [id, order] of Object.entries(orders.data ?? {})) {
      if (!shownStatus.current.has(id)) shownStatus.current.set(id, order.status);
    }
  }, [orders.data]);

  useLiveEvent<OrderEvent>('order', (event) => {
    if (event.order.participant_id !== participant.id) return;
    const id = String(event.order_id);
    const before = shownStatus.current.get(id);
    shownStatus.current.set(id, event.order.status);
    if (before !== undefined && before !== event.order.status) setAnnouncement(`Order #${id} is now ${event.order.status}.`);
    recent.current.set(id, event.order);
    orders.setData((current) => ({ ...current, [String(event.order_id)]: event.order }));
  });
  useRefreshOnFocus(orders.reload);

  const cost = info.data?.boba_tokens_per_order;
  const shortBy = cost !== undefined ? cost - participant.bbt_tokens : 0;

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setStatus('');
    setError('');
    try {
      const placed = await placing.send<OrdersById>('POST', '/boba', {
        participant_id: participant.id,
        ...choice,
        ...locationField(location),
      });
      orders.setData((current) => ({ ...current, ...placed }));
      const [id] = Object.keys(placed);
      setStatus(`Order #${id} placed. We will bring it to you.`);
    } catch (failure) {
      setError(errorText(failure));
    }
  }

  async function cancel(id: string) {
    setStatus('');
    setError('');
    try {
      const updated = await cancelling.send<OrdersById>('PUT', '/boba', { order_id: Number(id), status: 'Cancelled' });
      orders.setData((current) => ({ ...current, ...updated }));
      setStatus(`Order #${id} cancelled. Your tokens are back.`);
    } catch (failure) {
      setError(errorText(failure));
      orders.reload();
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
        <div className="field">
          <label htmlFor="order-location">Where are you?</label>
          <input
            id="order-location"
            name="location"
            maxLength={100}
            value={location}
            onChange={(event) => setLocation(event.target.value)}
            aria-describedby="order-location-hint"
            autoComplete="off"
          />
          <span id="order-location-hint" className="muted small">
            Optional, e.g. Table 12
          </span>
        </div>
        <button
          type="submit"
          className="button primary big"
          disabled={placing.pending || shortBy > 0}
          aria-describedby={shortBy > 0 ? 'order-short' : undefined}
        >
          {cost !== undefined ? `Order boba (${plural(cost, 'token')})` : 'Order boba'}
        </button>
        {shortBy > 0 && (
          <p id="order-short" className="muted">
            You need {plural(shortBy, 'more token')} to order. Scan someone&rsquo;s badge to get tokens.
          </p>
        )}
      </form>
      <Status>{status}</Status>
      <Alert>{error || orders.error}</Alert>
      <p className="visually-hidden" aria-live="polite" data-testid="order-announcements">
        {announcement}
      </p>

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
            {order.location && <p className="muted small">Bring to {order.location}</p>}
            <p className="order-status">
              Status: <strong>{order.status}</strong>
            </p>
            {order.status !== 'Cancelled' && (
              <div className="progress" aria-hidden="true">
                <div style={{ width: `${((STEPS.indexOf(order.status) + 1) / STEPS.length) * 100}%` }} />
              </div>
            )}
            <p className="muted small">Ordered {age(order.created_at, now)}</p>
            {order.status === 'Placed' && (
              <button type="button" className="button danger" disabled={cancelling.pending} onClick={() => void cancel(id)}>
                Cancel order
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
