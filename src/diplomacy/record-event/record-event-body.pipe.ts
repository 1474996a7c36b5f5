import { Injectable, type PipeTransform } from '@nestjs/common';
import { invalidRequest } from '../../http/validation.js';
import type { RecordEventBody } from './record-event.body.js';
import { checkRecordEventBody } from './record-event.validation.js';

/**
 * Checks a POST /events body against its JSON Schema, with the same 400 answer as the global
 * ValidationPipe (which leaves this parameter alone: its type is an interface, so plain Object).
 */
@Injectable()
export class RecordEventBodyPipe implements PipeTransform<unknown, RecordEventBody> {
  transform(value: unknown): RecordEventBody {
    const checked = checkRecordEventBody(value);
    if (!checked.ok) throw invalidRequest(checked.problems);
    return checked.body;
  }
}
