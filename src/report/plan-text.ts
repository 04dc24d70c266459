// The plan per machine in words: helpers every format shares (titles, the people named) and the text report's
// section. Owners are left blank for the admin; the server-side change is printed, never run.
import type { MachinePlan, PlanAction, PlanPerson, ServerChange, Summary } from './model.js';
import { ACTION_TITLES } from './plan.js';
import { clean, num, wrapWords } from './strings.js';

const wrap = (text: string, first: string, rest: string): string[] => wrapWords(text, 100, first, rest);

/** Text and Markdown name at most this many people per action; JSON and HTML name all. */
export const PLAN_NAMES = 20;

export const PLAN_TITLE = 'Plan per machine';

export const PLAN_NOTE =
  'What to do, grouped by kind of work, with the people and devices named; owners are left blank for you. The ' +
  'server-side change appears once a machine is safe (verdict yes): printed for review, tls-census never runs it.';

export const personName = (p: PlanPerson): string =>
  `${p.username ?? '(no user)'} at ${p.clientIp ?? '(no address)'}` + (p.exception !== null ? ` (known exception ${p.exception})` : '');

export function namesOf(a: PlanAction, max: number | null = PLAN_NAMES): string {
  const shown = (max === null ? a.people : a.people.slice(0, max)).map(personName);
  const more = a.people.length - shown.length;
  return shown.join('; ') + (more > 0 ? `; … ${num(more)} more (JSON and HTML list all)` : '');
}

export const actionTitle = (a: PlanAction): string =>
  `${a.client ?? '(unidentified)'} ×${num(a.people.length)} (${num(a.hits)} legacy hits, all servers)`;

export const machineTitle = (p: MachinePlan): string => `${p.server ?? '(no server name)'}: ${p.headline}`;

/** A plan's actions under their headings, in plan order. */
export function byHeading(p: MachinePlan): { title: string; actions: PlanAction[] }[] {
  const out: { title: string; actions: PlanAction[] }[] = [];
  for (const a of p.actions) {
    const title = ACTION_TITLES[a.kind];
    const last = out.at(-1);
    if (last?.title === title) last.actions.push(a);
    else out.push({ title, actions: [a] });
  }
  return out;
}

/** The text report's section. Log strings cleaned and wrapped; the PowerShell and .reg lines as they are. */
export function planTextLines(s: Summary, bold: (text: string) => string): string[] {
  if (s.plans.length === 0) return [];
  const out = ['', bold(PLAN_TITLE), ...wrap(PLAN_NOTE, '  ', '  ')];
  for (const p of s.plans) {
    out.push('', ...wrap(clean(machineTitle(p)), '  ', '    '));
    for (const w of p.waitingFor) out.push(...wrap(clean(`Waiting for: ${w}`), '    ', '      '));
    for (const g of byHeading(p)) {
      out.push(`    ${g.title}`);
      for (const a of g.actions) {
        out.push(...wrap(clean(`[ ] ${actionTitle(a)}, owner: ________`), '      ', '          '));
        if (a.hint !== null) out.push(...wrap(clean(a.hint), '          ', '          '));
        out.push(...wrap(clean(namesOf(a)), '          ', '          '));
      }
    }
    if (p.change !== null) out.push(...changeTextLines(p.change));
  }
  return out;
}

function changeTextLines(c: ServerChange): string[] {
  const out = ['    Server-side change (printed for review; tls-census never runs it):'];
  for (const b of c.before) out.push(...wrap(clean(`First: ${b}`), '      ', '        '));
  out.push(...wrap(clean(c.clientKeys), '      ', '        '));
  out.push('      PowerShell (elevated):', ...c.powershell.split('\n').map((l) => `        ${l}`));
  out.push('      Or as .reg file text:', ...c.reg.split('\n').map((l) => (l === '' ? '' : `        ${l}`)));
  out.push(...wrap(`Then: ${c.reboot}`, '      ', '        '));
  for (const v of c.verify) out.push(...wrap(`Check: ${v}`, '      ', '        '));
  return out;
}
