/**
 * The Stance page: three views of one API. The address keeps the view and its subject
 * (#topic=missile-defense-europe, #party=russia, #relations), so a view can be bookmarked.
 */
import './styles.css';
import { api, Names } from './api.js';
import { byId } from './dom.js';
import { PartyView } from './party-view.js';
import { RelationsView } from './relations-view.js';
import { TopicView } from './topic-view.js';

type ViewName = 'topic' | 'party' | 'relations';

function showError(error: unknown): void {
  const box = byId('page-error');
  box.textContent = `Something went wrong: ${error instanceof Error ? error.message : String(error)}`;
  box.hidden = false;
  console.error(error);
}

function announce(text: string): void {
  byId('announcer').textContent = text;
}

function route(): { view: ViewName; subject?: string } {
  const [view, subject] = decodeURIComponent(location.hash.slice(1)).split('=');
  return { view: view === 'party' || view === 'relations' ? view : 'topic', subject: subject || undefined };
}

async function start(): Promise<void> {
  const [parties, topics] = await Promise.all([api.parties(), api.topics()]);
  const names = new Names(parties);
  const topicView = new TopicView({ names, announce, showError });
  const partyView = new PartyView(names, showError);
  const relationsView = new RelationsView(names, showError);
  topicView.setTopics(topics);
  partyView.setParties(parties);
  relationsView.setCatalog(topics, parties);

  byId('topic-select').addEventListener('change', (e) =>
    history.replaceState(null, '', `#topic=${(e.target as HTMLSelectElement).value}`),
  );
  byId('party-select').addEventListener('change', (e) =>
    history.replaceState(null, '', `#party=${(e.target as HTMLSelectElement).value}`),
  );

  let opened = false;
  const show = async () => {
    const { view, subject } = route();
    for (const name of ['topic', 'party', 'relations'] as const) byId(`view-${name}`).hidden = name !== view;
    for (const link of document.querySelectorAll<HTMLAnchorElement>('nav a')) {
      if (link.dataset.view === view) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    if (view === 'topic' || !opened) {
      const topic = topics.find((t) => t.slug === subject)?.slug ?? topics[0]?.slug;
      if (topic && (!opened || (subject && subject !== byId<HTMLSelectElement>('topic-select').value))) {
        opened = true;
        await topicView.open(topic);
      }
    }
    if (view === 'party') {
      if (subject && parties.some((p) => p.slug === subject)) byId<HTMLSelectElement>('party-select').value = subject;
      partyView.show(topicView.day());
    }
    if (view === 'relations') await relationsView.show();
  };
  window.addEventListener('hashchange', () => void show().catch(showError));
  await show();
  document.body.dataset.ready = 'true';
}

start().catch(showError);
