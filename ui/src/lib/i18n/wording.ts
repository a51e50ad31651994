// The detector's structured alerts, the core's errors and the window's own notices, worded in
// the UI language. Everything here takes data and words it when shown, so that a language
// switch rewords what is already on screen: never keep the returned text in state.
//
// Server text (device labels, networks, places, addresses) inside a right-to-left sentence is
// isolated by Fluent itself (FSI…PDI around every placeable in Arabic), so that its own
// direction cannot reorder the sentence around it, e.g. "(AS28573)" or a trailing full stop.

import type { AlertKind } from "../../bindings/AlertKind";
import type { Reason } from "../../bindings/Reason";
import type { ResponseStep } from "../../bindings/ResponseStep";
import type { Severity } from "../../bindings/Severity";
import { countryName, duration, exactTime, kilometres, speed } from "../format";
import type { IpcError } from "../types";
import { kebab, type Messages } from "./catalogue";

export function severityName(m: Messages, severity: Severity): string {
  return m(`severity-${severity}`);
}

export function alertTitle(m: Messages, kind: AlertKind): string {
  return m(`kind-${kebab(kind)}`);
}

function networkName(m: Messages, asn: number | null, isp: string | null): string {
  if (isp && asn !== null) return `${isp} (AS${asn})`;
  if (isp) return isp;
  if (asn !== null) return `AS${asn}`;
  return m("reason-unknown-network");
}

function travelTime(minutes: number, locale: string): string {
  return duration(minutes * 60, locale);
}

/** One reason as a sentence in the UI language. */
export function reasonText(m: Messages, reason: Reason, locale: string): string {
  switch (reason.type) {
    case "unfamiliar_country": {
      const name = countryName(reason.country_code, locale, reason.country);
      return m("reason-unfamiliar-country", { country: `${name} (${reason.country_code})` });
    }
    case "unfamiliar_device":
      return m("reason-unfamiliar-device", { label: reason.label });
    case "unidentified_device":
      return m("reason-unidentified-device", { label: reason.label });
    case "unknown_location":
      return m("reason-unknown-location");
    case "network": {
      const network = networkName(m, reason.asn, reason.isp);
      return m(reason.seen_before ? "reason-network-seen" : "reason-network", { network });
    }
    case "vpn_or_hosting_network":
      return m("reason-vpn", {
        network: networkName(m, reason.asn, reason.isp ?? reason.operator),
        operator: reason.operator,
      });
    case "impossible_travel":
      return m("reason-impossible-travel", {
        from: reason.from,
        to: reason.to,
        km: kilometres(reason.km, locale),
        time: travelTime(reason.minutes, locale),
        kmh: speed(reason.kmh, locale),
      });
    case "unusual_route":
      return m("reason-unusual-route");
    case "travel_mode":
      return m("reason-travel-mode", { until: exactTime(reason.until, locale) });
    case "not_from_this_app":
      return m("reason-not-from-this-app");
    case "unknown_session":
      return m("reason-unknown-session");
    case "unseen_session":
      return m("reason-unseen-session", { id: reason.session_id });
    case "keepwatch_signed_out":
      switch (reason.cause) {
        case "password_changed":
          return m("reason-signed-out-by-password");
        case "two_factor_reset":
          return m("reason-signed-out-by-two-factor");
        case "token_reused":
          return m("reason-signed-out-token-reused");
        default:
          return m("reason-signed-out");
      }
    case "other_sessions_signed_out":
      return reason.count === null
        ? m("reason-other-sessions-signed-out-all")
        : m("reason-other-sessions-signed-out", { count: reason.count });
    case "withdrawal_to_unknown_address":
      return m("reason-withdrawal", {
        amount: reason.amount,
        asset: reason.asset,
        address: reason.address,
      });
    case "failed_sign_in":
      switch (reason.outcome) {
        case "invalid_credentials":
          return m("reason-failed-invalid-credentials");
        case "totp_required":
          return m("reason-failed-totp-required");
        case "invalid_totp":
          return m("reason-failed-invalid-totp");
        case "account_locked":
          return m("reason-failed-account-locked");
        case "ip_blocked":
          return m("reason-failed-ip-blocked");
        default:
          return m("reason-failed-other");
      }
    case "account_locked":
      return reason.until
        ? m("reason-account-locked-until", { until: exactTime(reason.until, locale) })
        : m("reason-account-locked");
  }
}

/** A response step as a checklist line. */
export function stepLabel(m: Messages, step: ResponseStep): string {
  switch (step.type) {
    case "block_ip":
      return m("step-block-ip", { ip: step.ip });
    default:
      return m(`step-${kebab(step.type)}`);
  }
}

/**
 * An error in words, never as a code: lockouts and blocks say how long is left.
 * `retry_after_secs` is counted from when the error arrived, so `elapsedSecs` subtracts the time
 * since then (the sign-in form re-renders it every second).
 */
export function explainError(m: Messages, error: IpcError, locale: string, elapsedSecs = 0): string {
  const time =
    error.retry_after_secs === undefined
      ? null
      : duration(Math.max(1, error.retry_after_secs - elapsedSecs), locale);
  switch (error.kind) {
    case "account_locked":
      return time ? m("error-account-locked", { time }) : m("error-account-locked-no-time");
    case "ip_blocked":
      return time ? m("error-ip-blocked-time", { time }) : m("error-ip-blocked");
    case "rate_limited":
      return time ? m("error-rate-limited", { time }) : m("error-rate-limited-no-time");
    case "unavailable":
    case "invalid_credentials":
    case "invalid_totp":
    case "totp_required":
    case "invalid_token":
    case "not_signed_in":
    case "network":
    case "tls":
    case "weak_password":
    case "invalid_value":
    case "invalid_request":
    case "current_session":
    case "not_found":
    case "not_connected":
      return m(`error-${kebab(error.kind)}`);
    case "no_account":
      return m("error-not-found");
    default:
      return m("error-other", { message: error.message });
  }
}

/**
 * The outcome of an action, to tell the user in a status line. Components keep this, not its
 * wording, and word it with `noticeText` when rendering: a stored sentence would stay in the
 * language it was made in after the user switches.
 */
export type Notice =
  | { key: "signedOutOthers"; count: number }
  | { key: "passwordChanged"; revoked: number }
  | { key: "exported"; rows: number; path: string }
  | { key: "exportCancelled" };

/** A notice as a sentence in the UI language, numbers formatted by the catalogue's locale. */
export function noticeText(m: Messages, notice: Notice): string {
  switch (notice.key) {
    case "signedOutOthers":
      return m("signed-out-others", { count: notice.count });
    case "passwordChanged":
      return m("password-changed", { count: notice.revoked });
    case "exported":
      return m("exported", { count: notice.rows, path: notice.path });
    case "exportCancelled":
      return m("export-cancelled");
  }
}
