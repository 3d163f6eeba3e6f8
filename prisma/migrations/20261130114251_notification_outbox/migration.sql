-- CreateTable
CREATE TABLE "NotificationEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "findingId" TEXT NOT NULL,
    "transition" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "previousSeverity" TEXT,
    "at" DATETIME NOT NULL,
    "fannedOutAt" DATETIME,
    CONSTRAINT "NotificationEvent_findingId_fkey" FOREIGN KEY ("findingId") REFERENCES "Finding" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "NotificationDelivery" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "eventId" INTEGER NOT NULL,
    "target" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL,
    "nextAttemptAt" DATETIME NOT NULL,
    "lastAttemptAt" DATETIME,
    "lastError" TEXT,
    "deliveredAt" DATETIME,
    CONSTRAINT "NotificationDelivery_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "NotificationEvent" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "NotificationEvent_fannedOutAt_idx" ON "NotificationEvent"("fannedOutAt");

-- CreateIndex
CREATE UNIQUE INDEX "NotificationEvent_findingId_transition_severity_key" ON "NotificationEvent"("findingId", "transition", "severity");

-- CreateIndex
CREATE INDEX "NotificationDelivery_status_nextAttemptAt_idx" ON "NotificationDelivery"("status", "nextAttemptAt");

-- CreateIndex
CREATE UNIQUE INDEX "NotificationDelivery_eventId_target_key" ON "NotificationDelivery"("eventId", "target");
