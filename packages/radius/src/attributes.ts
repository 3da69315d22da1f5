/** RADIUS vendor ids of the vendor-specific attributes the kit sends. */
export const VENDOR_IDS = { mikrotik: 14988, wispr: 14122, chillispot: 14559 } as const;

/** How an attribute's value is encoded on the wire. */
export type AttributeKind = 'string' | 'integer' | 'ipaddr' | 'octets';

/** One dictionary entry: a standard attribute (`type`) or a vendor's (`vendorId`, `type`). */
export interface AttributeDefinition {
  type: number;
  kind: AttributeKind;
  vendorId?: number;
}

const std = (type: number, kind: AttributeKind): AttributeDefinition => ({ type, kind });
const vsa = (vendorId: number, type: number, kind: AttributeKind): AttributeDefinition => ({ type, kind, vendorId });
const { mikrotik, wispr, chillispot } = VENDOR_IDS;

/**
 * The attributes the kit knows by name, for Disconnect/CoA requests (the same names
 * FreeRADIUS's dictionaries use). `ChilliSpot-Max-*-Gigawords` are CoovaChilli's (not in
 * FreeRADIUS's shipped dictionary; see the docs' dictionary addition).
 */
export const RADIUS_ATTRIBUTES = {
  'User-Name': std(1, 'string'),
  'NAS-IP-Address': std(4, 'ipaddr'),
  'Framed-IP-Address': std(8, 'ipaddr'),
  'Filter-Id': std(11, 'string'),
  'Reply-Message': std(18, 'string'),
  Class: std(25, 'octets'),
  'Session-Timeout': std(27, 'integer'),
  'Idle-Timeout': std(28, 'integer'),
  'Called-Station-Id': std(30, 'string'),
  'Calling-Station-Id': std(31, 'string'),
  'NAS-Identifier': std(32, 'string'),
  'Acct-Session-Id': std(44, 'string'),
  'Message-Authenticator': std(80, 'octets'),
  'Acct-Interim-Interval': std(85, 'integer'),
  'Error-Cause': std(101, 'integer'),
  'Mikrotik-Recv-Limit': vsa(mikrotik, 1, 'integer'),
  'Mikrotik-Xmit-Limit': vsa(mikrotik, 2, 'integer'),
  'Mikrotik-Rate-Limit': vsa(mikrotik, 8, 'string'),
  'Mikrotik-Recv-Limit-Gigawords': vsa(mikrotik, 14, 'integer'),
  'Mikrotik-Xmit-Limit-Gigawords': vsa(mikrotik, 15, 'integer'),
  'Mikrotik-Total-Limit': vsa(mikrotik, 17, 'integer'),
  'Mikrotik-Total-Limit-Gigawords': vsa(mikrotik, 18, 'integer'),
  'Mikrotik-Address-List': vsa(mikrotik, 19, 'string'),
  'WISPr-Bandwidth-Max-Up': vsa(wispr, 7, 'integer'),
  'WISPr-Bandwidth-Max-Down': vsa(wispr, 8, 'integer'),
  'ChilliSpot-Max-Input-Octets': vsa(chillispot, 1, 'integer'),
  'ChilliSpot-Max-Output-Octets': vsa(chillispot, 2, 'integer'),
  'ChilliSpot-Max-Total-Octets': vsa(chillispot, 3, 'integer'),
  'ChilliSpot-Max-Input-Gigawords': vsa(chillispot, 21, 'integer'),
  'ChilliSpot-Max-Output-Gigawords': vsa(chillispot, 22, 'integer'),
  'ChilliSpot-Max-Total-Gigawords': vsa(chillispot, 23, 'integer'),
} as const satisfies Record<string, AttributeDefinition>;

/** A name of {@link RADIUS_ATTRIBUTES}. */
export type RadiusAttributeName = keyof typeof RADIUS_ATTRIBUTES;
