/**
 * A date field that shows "14 October 2007", as the rest of the page writes dates, whatever the
 * browser's language: a native date input would show "10/14/2007" in an American browser. The
 * day can be typed (ISO or long form) or picked from the browser's own calendar, which opens from
 * a button beside the text.
 */
import { longDate, parseDay } from './dates.js';
import { byId, h, svgMarker } from './dom.js';

/** A calendar page, drawn (an emoji needs a font the machine may lack). */
const CALENDAR = 'M1.5 2.5h13v12h-13zM3 6.5h10v6.5H3zM4 .5h2v3H4zM10 .5h2v3h-2z';

/** How long typing may pause before a complete date counts: long enough not to chase each key. */
const TYPING_PAUSE_MS = 400;

export class DateField {
  readonly input: HTMLInputElement;
  private readonly picker: HTMLInputElement;
  private readonly listeners: ((day: string) => void)[] = [];
  private day = '';
  private typing?: number;

  /** Enhances the text input `id` (its <label> stays its accessible name). */
  constructor(id: string) {
    this.input = byId<HTMLInputElement>(id);
    this.input.type = 'text';
    this.input.autocomplete = 'off';
    this.input.spellcheck = false;
    this.input.placeholder = 'e.g. 14 October 2007';
    this.input.classList.add('date-text');
    const label = this.input.labels?.[0]?.textContent?.trim() || 'date';
    this.picker = h('input', { type: 'date', class: 'date-picker', tabindex: -1, 'aria-hidden': 'true' });
    const button = h(
      'button',
      { type: 'button', class: 'date-button', 'aria-label': `Pick the ${label.toLowerCase()} from a calendar` },
      svgMarker(CALENDAR, '#1f2328', 14),
    );
    // The text and its button wrap as one, never apart.
    let box = this.input.parentElement!;
    if (!box.classList.contains('date-box')) {
      box = h('span', { class: 'date-box' });
      this.input.replaceWith(box);
      box.append(this.input);
    }
    this.input.after(button, this.picker);
    button.addEventListener('click', () => {
      this.picker.value = this.day;
      try {
        this.picker.showPicker();
      } catch {
        this.input.focus(); // no picker in this browser: typing still works
      }
    });
    this.picker.addEventListener('change', () => this.commit(this.picker.value, true));
    this.input.addEventListener('input', () => {
      clearTimeout(this.typing);
      this.typing = window.setTimeout(() => this.commit(this.input.value, false), TYPING_PAUSE_MS);
    });
    this.input.addEventListener('change', () => this.commit(this.input.value, true));
    this.input.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter') return;
      e.preventDefault(); // the controls' forms have nothing to submit
      this.commit(this.input.value, true);
    });
  }

  get value(): string {
    return this.day;
  }

  /** Sets the day without telling the listeners (the page set it, nobody typed it). */
  set value(day: string) {
    this.day = day;
    this.input.value = day ? longDate(day) : '';
    this.input.dataset.day = day;
    this.input.removeAttribute('aria-invalid');
  }

  onChange(listener: (day: string) => void): void {
    this.listeners.push(listener);
  }

  /** A typed day counts once it is a real day; `final` (Enter, leaving the field) also rewrites the text in the page's style. */
  private commit(text: string, final: boolean): void {
    clearTimeout(this.typing);
    const day = parseDay(text);
    if (!day) {
      if (final && text.trim()) this.input.setAttribute('aria-invalid', 'true');
      return;
    }
    const changed = day !== this.day;
    if (final) this.value = day;
    else {
      this.day = day; // the text stays as typed until the field is left
      this.input.dataset.day = day;
      this.input.removeAttribute('aria-invalid');
    }
    if (changed) for (const listener of this.listeners) listener(day);
  }
}
