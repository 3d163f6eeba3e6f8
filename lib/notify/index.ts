// Outgoing webhooks for finding transitions: bodies (JSON, Slack), the HTTP transport, the outbox's deliverer
// and the timer that runs it beside the poller. Configuration: lib/config/notifications.ts.
export { escapeSlack, jsonBody, notificationLinks, slackBody, type JsonNotification, type NotificationLinks, type SlackMessage } from "./bodies";
export {
  createDeliverer,
  DEFAULT_RETRY_POLICY,
  retryDelayMs,
  targetWants,
  webhookBody,
  type Deliverer,
  type DelivererOptions,
  type DeliveryRunReport,
  type RetryPolicy,
} from "./deliverer";
export { startNotifier, type Notifier } from "./notifier";
export { postWebhook, WebhookError, WebhookHttpError, WebhookNetworkError, WebhookTimeoutError, type WebhookRequest, type WebhookSender } from "./transport";
