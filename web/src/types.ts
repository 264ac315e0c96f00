// The API's shapes, as the app uses them (see src/modules/*/*.schemas.ts on the server).

export type Role = 'admin' | 'volunteer' | 'participant';

export interface SkillRating {
  skill: string;
  rating: number;
}

export interface Participant {
  name: string;
  company: string;
  email: string;
  phone: string;
  checked_in: boolean;
  bbt_tokens: number;
  skills: SkillRating[];
}

export interface CheckInStatus {
  participant_id: number;
  checked_in: boolean;
  /** Unix seconds. */
  check_in_time?: number;
  volunteer_id?: number;
  volunteer_name?: string;
}

export const ORDER_STATUSES = ['Placed', 'In Progress', 'Out for Delivery', 'Delivered', 'Cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export interface Order {
  participant_id: number;
  status: OrderStatus;
  size: string;
  flavour: string;
  sweetness: string;
  ice: string;
  toppings: string;
  created_at: string;
  updated_at: string;
}

/** Every list in this API is an object keyed by id. */
export type ById<T> = Record<string, T>;

export interface Badge {
  participant_id: number;
  badge: string;
  url: string;
}

export interface Me {
  key: { id: number; name: string; role: Role; participant_id: number | null };
  participant: (Participant & { id: number }) | null;
  check_in: CheckInStatus | null;
  orders: ById<Order> | null;
  badge: Badge | null;
}

export interface BobaInfo {
  boba_statuses: OrderStatus[];
  boba_tokens_per_order: number;
  boba_tokens_cooldown: number;
  boba_pair_exchanges?: number;
  boba_max_grant?: number;
}

export interface BadgeHolder {
  participant_id: number;
  name: string;
  checked_in: boolean;
}

export interface ExchangeResult {
  success: string;
  new_tokens_1: number;
  new_tokens_2: number;
}

export interface GrantResult {
  success: string;
  new_tokens: number;
}

export type LedgerKind = 'exchange' | 'grant' | 'order' | 'refund';

export interface TokenHistory {
  participant_id: number;
  bbt_tokens: number;
  entries: {
    id: number;
    amount: number;
    kind: LedgerKind;
    reference: { type: 'order' | 'participant'; id: number } | null;
    created_at: string;
  }[];
}

export interface Stats {
  participants: number;
  checked_in: number;
  orders_by_status: Partial<Record<OrderStatus, number>>;
  tokens_in_circulation: number;
  top_skills: { skill: string; frequency: number; average_rating: number }[];
  check_ins_over_time: { hour: string; count: number }[];
}

export interface KeyView {
  id: number;
  name: string;
  role: Role;
  participant_id: number | null;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface CreatedKey {
  id: number;
  name: string;
  role: Role;
  participant_id: number | null;
  expires_at: string | null;
  key: string;
}

/** Live events from GET /events. */
export interface OrderEvent {
  order_id: number;
  order: Order;
}
export interface CheckInEvent {
  participant_id: number;
  check_in: CheckInStatus;
}
export interface TokensEvent {
  participant_id: number;
  bbt_tokens: number;
}
