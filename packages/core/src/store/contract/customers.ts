import type { Customer } from '../../domain/customer.js';

/** Customers, unique by id and by phone. */
export interface CustomerRepository {
  /**
   * Insert-if-absent: stores `customer` and returns `true`, or returns `false` and changes
   * nothing when its id or phone already exists. Atomic: of racing inserts of one phone,
   * exactly one returns `true`.
   */
  insert(customer: Customer): Promise<boolean>;
  get(id: string): Promise<Customer | null>;
  /** `phone` is E.164. */
  findByPhone(phone: string): Promise<Customer | null>;
  /** Replaces the stored customer with this id; `false` if there is none or the phone is taken. */
  update(customer: Customer): Promise<boolean>;
}
