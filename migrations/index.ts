import { CreateEventStore1763800000000 } from './1763800000000-create-event-store.js';
import { CreateDiplomacy1763800100000 } from './1763800100000-create-diplomacy.js';
import { FoldCache1763800200000 } from './1763800200000-fold-cache.js';
import { BtreeValidity1763800300000 } from './1763800300000-btree-validity.js';
import { AppendFunction1763800400000 } from './1763800400000-append-function.js';
import { ElementLookups1763800500000 } from './1763800500000-element-lookups.js';
import { NarrowProjection1763800600000 } from './1763800600000-narrow-projection.js';
import { EvidenceCardsBySql1763800700000 } from './1763800700000-evidence-cards-by-sql.js';
import { RecordsWithALifecycle1763800800000 } from './1763800800000-records-with-a-lifecycle.js';
import { LinksThatNameTheirRecords1763800900000 } from './1763800900000-links-that-name-their-records.js';
import { EvidenceCardDescribedOnce1763801000000 } from './1763801000000-evidence-card-described-once.js';
import { HistoryWindowInTheIndex1763801100000 } from './1763801100000-history-window-in-the-index.js';
import { HashChain1763801200000 } from './1763801200000-hash-chain.js';
import { EventKeys1763801250000 } from './1763801250000-event-keys.js';
import { RebuildStepsForTheApp1763801300000 } from './1763801300000-rebuild-steps-for-the-app.js';
import { PartyParents1763801400000 } from './1763801400000-party-parents.js';
import { SpeakerRoles1763801500000 } from './1763801500000-speaker-roles.js';
import { ReportsByEvent1763801600000 } from './1763801600000-reports-by-event.js';
import { DateBasisOnEvidenceCards1763801650000 } from './1763801650000-date-basis-on-evidence-cards.js';
import { ElementSpans1763801700000 } from './1763801700000-element-spans.js';
import { ChangeNotifications1763801800000 } from './1763801800000-change-notifications.js';
import { FoldCheckpoints1763801900000 } from './1763801900000-fold-checkpoints.js';
import { LogAppendBeginsInOnePlace1763802000000 } from './1763802000000-log-append-begins-in-one-place.js';
import { SideListsTrueToTheirDate1763802100000 } from './1763802100000-side-lists-true-to-their-date.js';
import { SigningsSaidAsSigned1763802300000 } from './1763802300000-signings-said-as-signed.js';
import { NamesInASentence1763802400000 } from './1763802400000-names-in-a-sentence.js';
import { LateReportsAndRestatedAnswers1763802500000 } from './1763802500000-late-reports-and-restated-answers.js';
import { ItemTitlesAtTheirDate1763802600000 } from './1763802600000-item-titles-at-their-date.js';
import { RecordsTrueToTheirDay1763802620000 } from './1763802620000-records-true-to-their-day.js';
import { AgreementsKeyedApart1763802640000 } from './1763802640000-agreements-keyed-apart.js';
import { ThreatsCarriedOut1763802660000 } from './1763802660000-threats-carried-out.js';
import { ConcessionsClose1763802680000 } from './1763802680000-concessions-close.js';
import { ThreatsInTheirTargetsPositions1763802720000 } from './1763802720000-threats-in-their-targets-positions.js';
import { EventsCountByTheirReport1763802700000 } from './1763802700000-events-count-by-their-report.js';
import { ConcessionsAboutWhatTheyAnswer1763802740000 } from './1763802740000-concessions-about-what-they-answer.js';
import { AnswersKeepTheirDay1763802760000 } from './1763802760000-answers-keep-their-day.js';
import { EventsCountByTheirAnswers1763802780000 } from './1763802780000-events-count-by-their-answers.js';
import { AnswersThatNameWhatClosed1763802200000 } from './1763802200000-answers-that-name-what-closed.js';

/** Every migration, in order; TypeORM gets classes, not file globs (ESM-safe). */
export const migrations = [
  CreateEventStore1763800000000,
  CreateDiplomacy1763800100000,
  FoldCache1763800200000,
  BtreeValidity1763800300000,
  AppendFunction1763800400000,
  ElementLookups1763800500000,
  NarrowProjection1763800600000,
  EvidenceCardsBySql1763800700000,
  RecordsWithALifecycle1763800800000,
  LinksThatNameTheirRecords1763800900000,
  EvidenceCardDescribedOnce1763801000000,
  HistoryWindowInTheIndex1763801100000,
  HashChain1763801200000,
  EventKeys1763801250000,
  RebuildStepsForTheApp1763801300000,
  PartyParents1763801400000,
  SpeakerRoles1763801500000,
  ReportsByEvent1763801600000,
  DateBasisOnEvidenceCards1763801650000,
  ElementSpans1763801700000,
  ChangeNotifications1763801800000,
  FoldCheckpoints1763801900000,
  LogAppendBeginsInOnePlace1763802000000,
  SideListsTrueToTheirDate1763802100000,
  AnswersThatNameWhatClosed1763802200000,
  SigningsSaidAsSigned1763802300000,
  NamesInASentence1763802400000,
  LateReportsAndRestatedAnswers1763802500000,
  ItemTitlesAtTheirDate1763802600000,
  RecordsTrueToTheirDay1763802620000,
  AgreementsKeyedApart1763802640000,
  ThreatsCarriedOut1763802660000,
  ConcessionsClose1763802680000,
  ThreatsInTheirTargetsPositions1763802720000,
  EventsCountByTheirReport1763802700000,
  ConcessionsAboutWhatTheyAnswer1763802740000,
  AnswersKeepTheirDay1763802760000,
  EventsCountByTheirAnswers1763802780000,
];
