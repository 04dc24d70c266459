// Other traffic shapes for the IIS generator: a crowd of internet clients (mobile carriers, home offices,
// scanners), each with few requests spread over several endpoints, agents and suites. Adds distinct usage keys at
// a chosen rate; it does not write files (iis-traffic.ts does) and reads no clock.
import type { ClientInstance, ClientProfile, EndpointKind, SuiteName } from './clients.js';
import { hashSeed, type Random } from './random.js';

export interface TrafficShape {
  /** Distinct client addresses of the crowd. */
  readonly clients: number;
  /** Share of all front-end requests the crowd makes, in (0, 1]; 1 leaves out the Exchange population. */
  readonly share: number;
  /** Distinct user agents in the crowd's pool. */
  readonly agents: number;
  /** Distinct (agent, endpoint, suite) combinations each client uses. */
  readonly spread: number;
}

const ENDPOINTS: readonly EndpointKind[] = ['owa', 'ews', 'eas', 'mapi', 'autodiscover', 'ecp', 'oab', 'rpc', 'scan'];
/** Mostly modern, some legacy, as an internet-facing server sees them. */
const SUITE_MIX: readonly SuiteName[] = [
  'tls12-ecdhe-aes256-sha384', 'tls12-ecdhe-aes256-sha384', 'tls13-aes256', 'tls13-aes128', 'tls12-ecdhe-aes128-sha256',
  'tls12-ecdhe-aes256-sha384', 'tls10-rsa-aes256-sha1', 'tls11-ecdhe-aes128-sha1',
];
/** `{v}` becomes a version number per agent: the pool holds many near-identical strings, as real traffic does. */
const AGENT_TEMPLATES = [
  'Mozilla/5.0+(iPhone;+CPU+iPhone+OS+17_{v}+like+Mac+OS+X)+AppleWebKit/605.1.15+(KHTML,+like+Gecko)+Mobile/15E148',
  'Mozilla/5.0+(Linux;+Android+14;+SM-S91{v})+AppleWebKit/537.36+(KHTML,+like+Gecko)+Chrome/121.0.0.0+Mobile+Safari/537.36',
  'Microsoft+Office/16.0+(Windows+NT+10.0;+Microsoft+Outlook+16.0.{v};+Pro)',
  'Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64)+AppleWebKit/537.36+(KHTML,+like+Gecko)+Chrome/12{v}.0.0.0+Safari/537.36',
  'Apple-iPhone{v}C2/2104.248',
  'Outlook-iOS/723.{v}+CFNetwork/1410.0.3+Darwin/22.6.0',
  'python-requests/2.{v}.0',
  'Go-http-client/1.{v}',
];

export function validateShape(shape: TrafficShape): void {
  for (const [name, value] of [['clients', shape.clients], ['agents', shape.agents], ['spread', shape.spread]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`shape.${name}: expect a positive integer, got ${value}`);
  }
  if (!(shape.share > 0 && shape.share <= 1)) throw new RangeError(`shape.share: expect a number in (0, 1], got ${shape.share}`);
}

interface Combo {
  readonly endpoint: EndpointKind;
  readonly suite: SuiteName;
  readonly client: ClientInstance;
}

/** Picks one crowd request: a client, then one of its `spread` combinations, all derived from stable hashes. */
export class Crowd {
  private readonly profiles: ClientProfile[] = [];

  constructor(private readonly shape: TrafficShape) {
    validateShape(shape);
    for (let a = 0; a < shape.agents; a++) {
      const template = AGENT_TEMPLATES[a % AGENT_TEMPLATES.length];
      const ua = template.replace('{v}', String(Math.floor(a / AGENT_TEMPLATES.length)));
      this.profiles.push({
        id: `crowd-${a}`, count: 1, ip: { prefix: '100.64.', first: 0 }, user: '-', ua, weight: 1, endpoints: {},
        suites: {}, behavior: 'normal', browser: a % AGENT_TEMPLATES.length === 3,
        device: { type: 'Phone', idPrefix: 'crowd' },
      });
    }
  }

  pick(random: Random): Combo {
    const i = random.int(this.shape.clients);
    const j = random.int(this.shape.spread);
    const h = hashSeed('crowd', i, j);
    const profile = this.profiles[h % this.shape.agents];
    const account = i % 5 === 0 ? '-' : `user${i}`;
    const client: ClientInstance = {
      key: `crowd#${i}`, profile, ip: `100.${64 + ((i >>> 16) & 63)}.${(i >>> 8) & 255}.${i & 255}`,
      user: account === '-' ? '-' : `${account}@contoso.com`, account,
      mailboxGuid: `${(0x10000000 + i).toString(16)}-0000-4000-8000-000000000000`, deviceId: `crowd${i}`, weight: 1,
    };
    return {
      endpoint: ENDPOINTS[(h >>> 8) % ENDPOINTS.length],
      suite: SUITE_MIX[(h >>> 16) % SUITE_MIX.length],
      client,
    };
  }
}
