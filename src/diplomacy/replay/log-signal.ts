import { Injectable } from '@nestjs/common';
import { EventsHandler, type IEventHandler } from '@nestjs/cqrs';
import { Subject } from 'rxjs';
import { EventRecorded } from '../record-event/event-recorded.event.js';

/** Wakes live readers as soon as this process commits an event; they still read the log gap-safely. */
@Injectable()
export class LogSignal {
  readonly recorded$ = new Subject<EventRecorded>();
}

@EventsHandler(EventRecorded)
export class SignalOnEventRecorded implements IEventHandler<EventRecorded> {
  constructor(private readonly signal: LogSignal) {}

  handle(event: EventRecorded): void {
    this.signal.recorded$.next(event);
  }
}
