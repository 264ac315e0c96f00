import { useRef, useState } from 'react';
import { api, errorText, get } from '../api';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Alert } from '../components/Messages';
import { ScreenHeading } from '../components/Heading';
import { age } from '../format';
import { useLiveEvent, useRefreshOnFocus, useResource } from '../hooks';
import type { Order, OrderEvent, OrdersById, OrderStatus } from '../api-types';

const COLUMNS = ['Placed', 'In Progress', 'Out for Delivery'] as const;
type Column = (typeof COLUMNS)[number];

/** The one button that moves an order on, per column. */
const NEXT: Record<Column, { label: string; to: OrderStatus }> = {
  Placed: { label: 'Start', to: 'In Progress' },
  'In Progress': { label: 'Send out', to: 'Out for Delivery' },
  'Out for Delivery': { label: 'Delivered', to: 'Delivered' },
};

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

/** #/kitchen: open orders in three columns, live; one tap moves an order on; cancel asks first. */
export function KitchenScreen() {
  // Live changes that arrive while the board is being re-read are applied on top of what the read returns.
  const recent = useRef(new Map<string, Order>());
  const orders = useResource(async (signal) => {
    recent.current.clear();
    let board = await loadOpenOrders(signal);
    for (const [id, order] of recent.current) board = withOrder(board, id, order);
    return board;
  });
  const [busy, setBusy] = useState<Set<string>>(new Set());
  const [error, setError] = useState('');
  const [cancelling, setCancelling] = useState<string | null>(null);

  const put = (id: string, order: Order) => {
    recent.current.set(id, order);
    orders.setData((current) => withOrder(current, id, order));
  };

  useLiveEvent<OrderEvent>('order', (event) => put(String(event.order_id), event.order));
  useRefreshOnFocus(orders.reload);

  async function move(id: string, to: OrderStatus) {
    setBusy((current) => new Set(current).add(id));
    setError('');
    try {
      const updated = await api<OrdersById>('PUT', '/boba', { order_id: Number(id), status: to });
      for (const [updatedId, order] of Object.entries(updated)) put(updatedId, order);
    } catch (failure) {
      setError(`Order #${id}: ${errorText(failure)}`);
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
  const pending = cancelling ? orders.data?.[cancelling] : undefined;

  return (
    <section className="screen wide">
      <ScreenHeading>Boba kitchen</ScreenHeading>
      <Alert>{error || orders.error}</Alert>
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
                      #{id} <span className="muted small">for participant #{order.participant_id}</span>
                    </h3>
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
                    <p className="muted small">Ordered {age(order.created_at)}</p>
                    <div className="actions">
                      <button
                        type="button"
                        className="button primary"
                        disabled={busy.has(id)}
                        onClick={() => void move(id, NEXT[column].to)}
                      >
                        {NEXT[column].label}
                      </button>
                      {column !== 'Out for Delivery' && (
                        <button type="button" className="button danger" disabled={busy.has(id)} onClick={() => setCancelling(id)}>
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
          title={`Cancel order #${cancelling}?`}
          confirmLabel="Yes, cancel"
          cancelLabel="Keep order"
          busy={busy.has(cancelling)}
          onConfirm={() => {
            const id = cancelling;
            setCancelling(null);
            void move(id, 'Cancelled');
          }}
          onClose={() => setCancelling(null)}
        >
          <p>
            {pending.size} {pending.flavour} for participant #{pending.participant_id}. Their tokens are refunded.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
