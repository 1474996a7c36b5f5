/**
 * The Stance page: three views of one API. The address keeps the whole state (page-state.ts),
 * so a view can be shared or cited and opens the same for anyone.
 */
import './styles.css';
import { api, Names, type Topic } from './api.js';
import { byId, h } from './dom.js';
import { type PageState, readState, stateHash, VIEWS } from './page-state.js';
import { PartyView } from './party-view.js';
import { RecordForm } from './record-form.js';
import { RelationsView } from './relations-view.js';
import { TopicView } from './topic-view.js';

function showError(error: unknown): void {
  const box = byId('page-error');
  box.textContent = `Something went wrong: ${error instanceof Error ? error.message : String(error)}`;
  box.hidden = false;
  console.error(error);
}

function announce(text: string): void {
  byId('announcer').textContent = text;
}

/** The topic with the most recorded events: the main dossier, where a reader starts. */
function busiest(topics: readonly Topic[]): string | undefined {
  return [...topics].sort((a, b) => b.events - a.events)[0]?.slug;
}

async function start(): Promise<void> {
  const [parties, topics] = await Promise.all([api.parties(), api.topics()]);
  const names = new Names(parties);
  let state: PageState = readState(location.hash);

  /** Keeps the address in step with what the page shows (no new history entry per slider move). */
  const update = (change: Partial<PageState>) => {
    state = { ...state, ...change };
    history.replaceState(null, '', stateHash(state));
    for (const link of document.querySelectorAll<HTMLAnchorElement>('nav a[data-view]'))
      link.href = stateHash({ ...state, view: link.dataset.view as PageState['view'] });
  };

  const form = new RecordForm(byId('record'), { names, parties });
  const topicView = new TopicView({
    names,
    announce,
    showError,
    // Only while it is the view shown: a live event refreshing it must not move another view's date.
    onState: ({ topic, at, knownAt }) => {
      if (state.view === 'topic') update({ topic, at, knownAt });
    },
    onEvents: (topic, events) => void form.setTopic(topic, events).catch(showError),
    onSelect: (event) => {
      form.select(event);
      if (!event) return;
      const answer = (type: 'correction' | 'retraction', label: string) => {
        const button = h('button', { type: 'button', class: 'answer-button' }, label);
        button.addEventListener('click', () => form.answerSelected(type));
        return button;
      };
      byId('details').append(
        h(
          'p',
          { class: 'answer-buttons' },
          answer('correction', 'Correct this record'),
          answer('retraction', 'Retract this record'),
        ),
      );
    },
  });
  const partyView = new PartyView(names, showError, (change) => update(change));
  const relationsView = new RelationsView(names, showError);
  topicView.setTopics(topics);
  partyView.setParties(parties);
  relationsView.setCatalog(topics, parties);
  // The form's fields come with the API's document: read alongside, never in the way of the first view.
  void form.load().catch(showError);

  const show = async () => {
    const { view } = state;
    for (const name of VIEWS) byId(`view-${name}`).hidden = name !== view;
    for (const link of document.querySelectorAll<HTMLAnchorElement>('nav a[data-view]')) {
      if (link.dataset.view === view) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    const topic = topics.find((t) => t.slug === state.topic)?.slug ?? busiest(topics);
    if (topic && topic !== topicView.shownTopic()) {
      await topicView.open(topic, state.at, state.knownAt);
    } else if (view === 'topic') {
      if (state.at && state.at !== topicView.day()) topicView.goTo(state.at);
      topicView.setKnownAt(state.knownAt);
    }
    if (view === 'party') partyView.show(state.party, state.at ?? topicView.day(), state.since, state.knownAt);
    if (view === 'relations') await relationsView.show();
    update({});
  };
  // A view switch changes the state at once, as one history entry: waiting for hashchange, a view's
  // pending update could write the old view back into the address first.
  for (const link of document.querySelectorAll<HTMLAnchorElement>('nav a[data-view]')) {
    link.addEventListener('click', (e) => {
      e.preventDefault();
      state = { ...state, view: link.dataset.view as PageState['view'] };
      history.pushState(null, '', stateHash(state));
      void show().catch(showError);
    });
  }
  // An address typed or pasted, or Back.
  window.addEventListener('hashchange', () => {
    state = readState(location.hash);
    void show().catch(showError);
  });
  byId('topic-select').addEventListener('change', () =>
    update({ topic: byId<HTMLSelectElement>('topic-select').value }),
  );
  await show();
  document.body.dataset.ready = 'true';
}

start().catch(showError);
