import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { SETTINGS } from '../../config/settings.provider.js';
import type { Settings } from '../../config/settings.js';

/** A place held by one open live stream; given back when the stream closes. */
export interface StreamPlace {
  release(): void;
}

/** Why a stream was refused, with the seconds a client should wait before it tries again. */
export class StreamRefused extends HttpException {
  constructor(
    status: HttpStatus,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super({ message }, status);
  }
}

/**
 * Caps the live streams this process keeps open: each holds a connection and a follower of the
 * log tail for as long as the client stays, so one client may hold only so many (429), and the
 * server only so many in all (503): past that, streams would crowd out the reads and writes.
 */
@Injectable()
export class LiveStreams {
  private readonly byClient = new Map<string, number>();
  private open = 0;

  constructor(@Inject(SETTINGS) private readonly settings: Settings) {}

  /** Holds a place for one more stream of `client`, or throws StreamRefused saying which cap is reached. */
  admit(client: string): StreamPlace {
    const { liveStreamsPerClient: perClient, liveStreamsMax: max } = this.settings;
    const mine = this.byClient.get(client) ?? 0;
    if (mine >= perClient) {
      throw new StreamRefused(
        HttpStatus.TOO_MANY_REQUESTS,
        `too many live streams from this client: at most ${perClient} open at once; close one first`,
        15,
      );
    }
    if (this.open >= max) {
      throw new StreamRefused(
        HttpStatus.SERVICE_UNAVAILABLE,
        `this server already serves its ${max} live streams; try again later or read without Accept: text/event-stream`,
        30,
      );
    }
    this.byClient.set(client, mine + 1);
    this.open += 1;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.open -= 1;
        const left = (this.byClient.get(client) ?? 1) - 1;
        if (left === 0) this.byClient.delete(client);
        else this.byClient.set(client, left);
      },
    };
  }

  get openCount(): number {
    return this.open;
  }
}
