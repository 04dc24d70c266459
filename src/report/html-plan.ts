// The HTML report's plan per machine: a card per machine, task lists by kind of work with every person named, and
// the server-side change in <pre> blocks when the machine is safe. Every string reaches the page through escapeHtml.
import { escapeHtml } from './html-escape.js';
import type { Summary } from './model.js';
import { actionTitle, byHeading, machineTitle, namesOf, PLAN_NOTE, PLAN_TITLE } from './plan-text.js';

export function planSection(s: Summary): string {
  if (s.plans.length === 0) return '';
  const out = [`<section id="plan"><h2>${escapeHtml(PLAN_TITLE)}</h2><p class="note">${escapeHtml(PLAN_NOTE)}</p>`];
  for (const p of s.plans) {
    out.push(`<div class="plan ${p.verdict}"><h3>${escapeHtml(machineTitle(p))}</h3>`);
    if (p.waitingFor.length > 0) out.push(`<ul class="waiting">${p.waitingFor.map((w) => `<li>Waiting for: ${escapeHtml(w)}</li>`).join('')}</ul>`);
    for (const g of byHeading(p)) {
      out.push(`<h4>${escapeHtml(g.title)}</h4><ul class="tasks">`);
      for (const a of g.actions) {
        out.push(
          `<li><label><input type="checkbox"> ${escapeHtml(actionTitle(a))}</label>, owner: <span class="owner"></span>` +
            (a.hint !== null ? `<div class="hint">${escapeHtml(a.hint)}</div>` : '') +
            `<div class="who">${escapeHtml(namesOf(a, null))}</div></li>`,
        );
      }
      out.push('</ul>');
    }
    const c = p.change;
    if (c !== null) {
      out.push('<h4>Server-side change (printed for review; tls-census never runs it)</h4><ul>');
      for (const b of c.before) out.push(`<li>First: ${escapeHtml(b)}</li>`);
      out.push(`<li>${escapeHtml(c.clientKeys)}</li></ul>`);
      out.push(`<p>PowerShell (elevated):</p><pre>${escapeHtml(c.powershell)}</pre>`);
      out.push(`<p>Or as .reg file text:</p><pre>${escapeHtml(c.reg)}</pre>`);
      out.push(`<ul><li>Then: ${escapeHtml(c.reboot)}</li>${c.verify.map((v) => `<li>Check: ${escapeHtml(v)}</li>`).join('')}</ul>`);
    }
    out.push('</div>');
  }
  out.push('</section>');
  return out.join('\n');
}
