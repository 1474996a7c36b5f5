import { Global, Module } from '@nestjs/common';
import { DatabaseNotifications } from './notifications.js';

/** One listening connection per process, shared by the catalog and the live streams. */
@Global()
@Module({ providers: [DatabaseNotifications], exports: [DatabaseNotifications] })
export class NotificationsModule {}
