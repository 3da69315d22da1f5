/** A hotspot customer, known by a phone number in E.164 form (unique). */
export interface Customer {
  id: string;
  /** E.164, e.g. `+14155552671`. */
  phone: string;
  name?: string;
  email?: string;
  locationId?: string;
  createdAt: Date;
}
