/** Published on the bus after an append commits, so live streams wake up at once. */
export class EventRecorded {
  constructor(
    readonly topic: string,
    readonly position: number,
    readonly type: string,
  ) {}
}
