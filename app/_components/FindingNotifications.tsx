"use client";

import { useFindingNotificationsQuery } from "@/lib/ui/hooks";
import { notificationSummary } from "@/lib/ui/notification-view";

/** One line per webhook delivery of the finding's transitions; nothing when none was sent (or none configured). */
export function FindingNotifications({ cluster, id }: { cluster: string; id: string }) {
  const { data } = useFindingNotificationsQuery(cluster, id);
  if (!data?.notifications.length) return null;
  return (
    <p className="subtle" data-testid="finding-notifications">
      Notified: {data.notifications.map(notificationSummary).join(" · ")}
    </p>
  );
}
