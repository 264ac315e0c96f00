import { useRef, useState } from 'react';
import { ApiError, errorText, get } from '../api';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Alert, Status } from '../components/Messages';
import { ScreenHeading } from '../components/Heading';
import { age } from '../format';
import { useIntent, useLiveEvent, useNow, useRefreshOnFocus, useResource } from '../hooks';
import type { Order, OrderEvent, OrdersById, OrderStatus } from '../api-types';

const COLUMNS = ['Placed', 'In Progress', 'Out for Delivery'] as const;
type Column = (typeof COLUMNS)[number];

/** The one button that moves an order on, per column. */
const NEXT: Record<Column, { label: string; to: OrderStatus }> = {
  Placed: { label: 'Start', to: 'In Progress' },
  'In Progress': { label: 'Send out', to: 'Out for Delivery' },
  'Out for Delivery': { label: 'Delivered', to: 'Delivered' },
};

/** Screen readers keep up with a few changes in a row; older sentences are dropped from the live region. */
const ANNOUNCEMENTS_KEPT = 5;

const isOpen = (status: OrderStatus): status is Column => (COLUMNS as readonly string[]).includes(status);

async function loadOpenOrders(signal: AbortSignal): Promise<OrdersById> {
  const parts = await Promise.all(
    COLUMNS.map((status) => get<OrdersById>(`/boba?status=${encodeURIComponent(status)}`, { signal })),
  );
  return Object.assign({}, ...parts) as OrdersById;
}

/** The board with one order put in its column, or taken off when it is done. */
function withOrder(board: OrdersById | undefined, id: string, order: Order): OrdersById {
  const next = { ...board };
  if (isOpen(order.status)) next[id] = order;
  else delete next[id];
  return next;
}

/** How the live region words each status an order reaches. */
const REACHED: Record<OrderStatus, string> = {
  Placed: 'New',
  'In Progress': 'Started',
  'Out for Delivery': 'Sent out',
  Delivered: 'Delivered',
  Cancelled: 'Cancelled',
};

/** One short sentence for a new order or a changed status ("New order #12 for Ada at Table 12"); null when nothing changed. */
function announcement(id: string, order: Order, previous: OrderStatus | undefined): string | null {
  if (order.status === previous) return null;
  const where = order.status === 'Placed' && order.location ? ` at ${order.location}` : '';
  return `${REACHED[order.status]} order #${id} for ${order.participant_name}${where}`;
}

/**
 * #/kitchen: open orders in three columns, live; one tap moves an order on; cancel asks first. Each move
 * names the status the ticket showed, so a second tap, or a second device, cannot move an order twice.
 */
export function KitchenScreen() {
  // Live changes that arrive while the board is being re-read are applied on top of what the read returns.
  const recent = useRef(new Map<string, Order>());
  // The last status the kitchen was told of, per order: what a change is announced against.
  const known = useRef(new Map<string, OrderStatus>());
  const orders = useResource(async (signal) => {
    recent.current.clear();
    let board = await loadOpenOrders(signal);
    for (const [id, order] of recent.current) board = withOrder(board, id, order);
    for (const [id, order] of Object.entries(board)) known.current.set(id, order.status);
    return board;
  });
  // Ticket ages keep moving while the screen stays open.
  const now = useNow(30_000);
  const moving = useIntent();
  const [busy, setBusy] = useState<Set<string>>(new Set());
  const [notice, setNotice] = useState('');
  const [error, setError] = useState('');
  const [announcements, setAnnouncements] = useState<{ key: number; text: string }[]>([]);
  const announced = useRef(0);
  const [cancelling, setCancelling] = useState<{ id: string; from: OrderStatus } | null>(null);

  const announce = (text: string) => {
    const key = ++announced.current;
    setAnnouncements((current) => [...current.slice(1 - ANNOUNCEMENTS_KEPT), { key, text }]);
  };

  const put = (id: string, order: Order) => {
    const sentence = announcement(id, order, known.current.get(id));
    known.current.set(id, order.status);
    if (sentence) announce(sentence);
    recent.current.set(id, order);
    orders.setData((current) => withOrder(current, id, order));
  };

  useLiveEvent<OrderEvent>('order', (event) => put(String(event.order_id), event.order));
  useRefreshOnFocus(orders.reload);

  async function move(id: string, from: OrderStatus, to: OrderStatus) {
    setBusy((current) => new Set(current).add(id));
    setNotice('');
    setError('');
    try {
      const updated = await moving.send<OrdersById>('PUT', '/boba', { order_id: Number(id), status: to, from });
      for (const [updatedId, order] of Object.entries(updated)) put(updatedId, order);
    } catch (failure) {
      // Someone (or an earlier tap) was first: not a failure, the board was just behind.
      if (failure instanceof ApiError && failure.code === 'order_moved') {
        setNotice(`That order had already moved. Order #${id} is shown where it is now.`);
      } else {
        setError(`Order #${id}: ${errorText(failure)}`);
      }
      orders.reload();
    } finally {
      setBusy((current) => {
        const next = new Set(current);
        next.delete(id);
        return next;
      });
    }
  }

  const entries = Object.entries(orders.data ?? {}).sort(([a], [b]) => Number(a) - Number(b));
  const pending = cancelling ? orders.data?.[cancelling.id] : undefined;

  return (
    <section className="screen wide">
      <ScreenHeading>Boba kitchen</ScreenHeading>
      <Status tone="warn">{notice}</Status>
      <Alert>{error || orders.error}</Alert>
      <div className="visually-hidden" aria-live="polite" data-testid="kitchen-announcements">
        {announcements.map(({ key, text }) => (
          <p key={key}>{text}</p>
        ))}
      </div>
      {orders.loading && !orders.data && <p className="muted">Loading orders…</p>}
      <div className="board">
        {COLUMNS.map((column) => {
          const inColumn = entries.filter(([, order]) => order.status === column);
          const headingId = `column-${column.replace(/\s+/g, '-').toLowerCase()}`;
          return (
            <section key={column} className="column" aria-labelledby={headingId}>
              <div className="column-head">
                <h2 id={headingId}>{column}</h2>
                <span className="count">{inColumn.length}</span>
              </div>
              {inColumn.length === 0 && <p className="muted">None</p>}
              <ul className="cards">
                {inColumn.map(([id, order]) => (
                  <li key={id} className="card ticket" data-testid={`kitchen-order-${id}`}>
                    <h3>
                      #{id} <span className="small">for {order.participant_name}</span>
                    </h3>
                    <p className="ticket-location">
                      {order.location ? (
                        <>
                          Bring to <strong>{order.location}</strong>
                        </>
                      ) : (
                        <span className="muted">No location given</span>
                      )}
                    </p>
                    <p className="drink">
                      <strong>
                        {order.size} {order.flavour}
                      </strong>
                    </p>
                    <ul className="drink-details">
                      <li>{order.sweetness}</li>
                      <li>{order.ice}</li>
                      <li>{order.toppings === 'None' ? 'No toppings' : order.toppings}</li>
                    </ul>
                    <p className="muted small">
                      Ordered {age(order.created_at, now)} · participant #{order.participant_id}
                    </p>
                    <div className="actions">
                      <button
                        type="button"
                        className="button primary"
                        disabled={busy.has(id)}
                        onClick={() => void move(id, column, NEXT[column].to)}
                      >
                        {NEXT[column].label}
                      </button>
                      {column !== 'Out for Delivery' && (
                        <button
                          type="button"
                          className="button danger"
                          disabled={busy.has(id)}
                          onClick={() => setCancelling({ id, from: column })}
                        >
                          Cancel
                        </button>
                      )}
                    </div>
                  </li>
                ))}
              </ul>
            </section>
          );
        })}
      </div>
      {cancelling && pending && (
        <ConfirmDialog
          title={`Cancel order #${cancelling.id}?`}
          confirmLabel="Yes, cancel"
          cancelLabel="Keep order"
          busy={busy.has(cancelling.id)}
          onConfirm={() => {
            const { id, from } = cancelling;
            setCancelling(null);
            void move(id, from, 'Cancelled');
          }}
          onClose={() => setCancelling(null)}
        >
          <p>
            {pending.size} {pending.flavour} for {pending.participant_name}. Their tokens are refunded.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
