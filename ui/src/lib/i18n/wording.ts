// The detector's structured alerts, the core's errors and the window's own notices, worded in
// the UI language. Everything here takes data and words it when shown, so that a language
// switch rewords what is already on screen: never keep the returned text in state.

import type { AlertKind } from "../../bindings/AlertKind";
import type { Reason } from "../../bindings/Reason";
import type { ResponseStep } from "../../bindings/ResponseStep";
import type { Severity } from "../../bindings/Severity";
import { countryName, count, duration, exactTime, kilometres, speed } from "../format";
import type { IpcError } from "../types";
import type { Messages } from "./en";

export function severityName(m: Messages, severity: Severity): string {
  return m[`severity_${severity}`];
}

export function alertTitle(m: Messages, kind: AlertKind): string {
  return m[`kind_${kind}`];
}

/**
 * Server text (device labels, networks, places, addresses) inside a right-to-left sentence is
 * wrapped in Unicode isolates (FSI…PDI) so that its own direction cannot reorder the sentence
 * around it, e.g. "(AS28573)" or a trailing full stop. Left-to-right sentences need none.
 */
function isolate(text: string, locale: string): string {
  return locale.startsWith("ar") ? `\u2068${text}\u2069` : text;
}

function networkName(m: Messages, asn: number | null, isp: string | null): string {
  if (isp && asn !== null) return `${isp} (AS${asn})`;
  if (isp) return isp;
  if (asn !== null) return `AS${asn}`;
  return m.reason_unknown_network;
}

function travelTime(minutes: number, locale: string): string {
  return duration(minutes * 60, locale);
}

/** One reason as a sentence in the UI language. */
export function reasonText(m: Messages, reason: Reason, locale: string): string {
  const t = (text: string) => isolate(text, locale);
  switch (reason.type) {
    case "unfamiliar_country": {
      const name = countryName(reason.country_code, locale, reason.country);
      return m.reason_unfamiliar_country(t(`${name} (${reason.country_code})`));
    }
    case "unfamiliar_device":
      return m.reason_unfamiliar_device(t(reason.label));
    case "unidentified_device":
      return m.reason_unidentified_device(t(reason.label));
    case "unknown_location":
      return m.reason_unknown_location;
    case "network": {
      const name = t(networkName(m, reason.asn, reason.isp));
      return reason.seen_before ? m.reason_network_seen(name) : m.reason_network(name);
    }
    case "vpn_or_hosting_network":
      return m.reason_vpn(
        t(networkName(m, reason.asn, reason.isp ?? reason.operator)),
        t(reason.operator),
      );
    case "impossible_travel":
      return m.reason_impossible_travel(
        t(reason.from),
        t(reason.to),
        kilometres(reason.km, locale),
        travelTime(reason.minutes, locale),
        speed(reason.kmh, locale),
      );
    case "unusual_route":
      return m.reason_unusual_route;
    case "travel_mode":
      return m.reason_travel_mode(exactTime(reason.until, locale));
    case "not_from_this_app":
      return m.reason_not_from_this_app;
    case "unknown_session":
      return m.reason_unknown_session;
    case "unseen_session":
      return m.reason_unseen_session(t(reason.session_id));
    case "keepwatch_signed_out":
      switch (reason.cause) {
        case "password_changed":
          return m.reason_signed_out_by_password;
        case "two_factor_reset":
          return m.reason_signed_out_by_two_factor;
        case "token_reused":
          return m.reason_signed_out_token_reused;
        default:
          return m.reason_signed_out;
      }
    case "other_sessions_signed_out":
      return m.reason_other_sessions_signed_out(
        reason.count,
        reason.count === null ? "" : count(reason.count, locale),
      );
    case "withdrawal_to_unknown_address":
      return m.reason_withdrawal(t(reason.amount), t(reason.asset), t(reason.address));
    case "failed_sign_in":
      switch (reason.outcome) {
        case "invalid_credentials":
          return m.reason_failed_invalid_credentials;
        case "totp_required":
          return m.reason_failed_totp_required;
        case "invalid_totp":
          return m.reason_failed_invalid_totp;
        case "account_locked":
          return m.reason_failed_account_locked;
        case "ip_blocked":
          return m.reason_failed_ip_blocked;
        default:
          return m.reason_failed_other;
      }
    case "account_locked":
      return reason.until
        ? m.reason_account_locked_until(exactTime(reason.until, locale))
        : m.reason_account_locked;
  }
}

/** A response step as a checklist line. */
export function stepLabel(m: Messages, step: ResponseStep): string {
  switch (step.type) {
    case "sign_in_again":
      return m.step_sign_in_again;
    case "sign_out_session":
      return m.step_sign_out_session;
    case "change_password":
      return m.step_change_password;
    case "reset_two_factor":
      return m.step_reset_two_factor;
    case "review_withdrawals":
      return m.step_review_withdrawals;
    case "block_ip":
      return m.step_block_ip(step.ip);
    case "contact_support":
      return m.step_contact_support;
  }
}

/**
 * An error in words, never as a code: lockouts and blocks say how long is left.
 * `retry_after_secs` is counted from when the error arrived, so `elapsedSecs` subtracts the time
 * since then (the sign-in form re-renders it every second).
 */
export function explainError(m: Messages, error: IpcError, locale: string, elapsedSecs = 0): string {
  const left =
    error.retry_after_secs === undefined
      ? null
      : duration(Math.max(1, error.retry_after_secs - elapsedSecs), locale);
  switch (error.kind) {
    case "account_locked":
      return left ? m.err_account_locked(left) : m.err_account_locked_no_time;
    case "ip_blocked":
      return left ? m.err_ip_blocked_time(left) : m.err_ip_blocked;
    case "rate_limited":
      return left ? m.err_rate_limited(left) : m.err_rate_limited_no_time;
    case "unavailable":
      return m.err_unavailable;
    case "invalid_credentials":
      return m.err_invalid_credentials;
    case "invalid_totp":
      return m.err_invalid_totp;
    case "totp_required":
      return m.err_totp_required;
    case "invalid_token":
      return m.err_invalid_token;
    case "not_signed_in":
      return m.err_not_signed_in;
    case "network":
      return m.err_network;
    case "tls":
      return m.err_tls;
    case "weak_password":
      return m.err_weak_password;
    case "invalid_value":
      return m.err_invalid_value;
    case "invalid_request":
      return m.err_invalid_request;
    case "current_session":
      return m.err_current_session;
    case "not_found":
    case "no_account":
      return m.err_not_found;
    case "not_connected":
      return m.err_not_connected;
    default:
      return m.err_other(error.message);
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

/** A notice as a sentence in the UI language, numbers formatted for `locale`. */
export function noticeText(m: Messages, notice: Notice, locale: string): string {
  switch (notice.key) {
    case "signedOutOthers":
      return m.signedOutOthers(count(notice.count, locale));
    case "passwordChanged":
      return m.passwordChanged(count(notice.revoked, locale));
    case "exported":
      // A file path is left-to-right text whatever the sentence around it.
      return m.exported(count(notice.rows, locale), isolate(notice.path, locale));
    case "exportCancelled":
      return m.exportCancelled;
  }
}
