// English wording. Every key here must exist in ar.ts too (the type checker holds it to that).
// Parameters arrive already formatted for the language (numbers, times, country names).

export const en = {
  appTagline: "Watching your account's sessions",
  nav: "Sections",
  navSessions: "Sessions",
  navAlerts: "Alerts",
  navHistory: "History",
  navSecurity: "Security",
  navAccounts: "Accounts",
  navAbout: "About",

  notConnectedTitle: "Not connected to the Keepwatch service",
  notConnectedBody:
    "This window is not talking to the Keepwatch app's background service, so there is nothing to show yet. Start Keepwatch from your applications menu; your sessions, alerts and history will appear here.",
  loading: "Loading…",
  retry: "Try again",
  cancel: "Cancel",
  close: "Close",
  save: "Save",
  saved: "Saved",
  remove: "Remove",
  add: "Add",

  lastSynced: (when: string) => `Last synced ${when}`,
  neverSynced: "Not synced yet",
  phase_idle: "Up to date",
  phase_syncing: "Syncing…",
  phase_offline: "Offline — showing saved data",
  phase_signed_out: "Signed out — sign in again",
  phase_no_account: "No account yet — sign in to start watching",
  phase_error: "Sync failed",
  live: "Live",
  noAccount: "Add an account to start watching its sessions.",

  sessionsTitle: "Active sessions",
  sessionsIntro: "Every device signed in to your account right now.",
  signOutOthers: "Sign out all other sessions",
  confirmSignOutOthersTitle: "Sign out every other session?",
  confirmSignOutOthersBody:
    "Every session except the one on this computer will end — including your own other devices, such as your phone or another browser. Each of them will have to sign in again with your password. This computer stays signed in.",
  confirmSignOutOthersAction: "Sign out all others",
  signedOutOthers: (count: string) => `Other sessions signed out: ${count}.`,
  signOut: "Sign out",
  signingOut: "Signing out…",
  currentSession: "This device",
  firstLogin: "First login",
  lastActivity: "Last activity",
  location: "Location",
  ipAddress: "IP address",
  unknownNetwork: "Unknown network",
  unknownLocation: "Location unknown",
  offlineActions: "Offline: signing sessions out needs a connection to the account service.",
  noSessions: "No sessions to show.",
  unfamiliar: "Unfamiliar session",
  thisWasMe: "This was me",
  respond: "Respond",
  sessionsCount: (count: string) => `Sessions: ${count}`,

  alertsTitle: "Alerts",
  noAlerts: "No alerts. Keepwatch is watching.",
  showResolved: "Show resolved alerts",
  severity_info: "Information",
  severity_warning: "Warning",
  severity_critical: "Critical",
  state_open: "New",
  state_acknowledged: "Seen",
  state_resolved: "Resolved",
  markSeen: "Mark as seen",
  markResolved: "Mark as resolved",
  reopen: "Reopen",
  why: "Why this alert",
  whatToDo: "What to do",

  kind_possible_takeover: "Possible account takeover",
  kind_new_country: "New country — VPN or unusual route?",
  kind_impossible_travel: "Impossible travel — VPN or unusual route?",
  kind_new_device: "New device",
  kind_unknown_withdrawal_address: "Withdrawal to an address not in your address book",
  kind_two_factor_reset: "2FA was reset outside Keepwatch",
  kind_password_changed: "Password changed outside Keepwatch",
  kind_keepwatch_signed_out: "Keepwatch was signed out by another session",
  kind_account_locked: "Account locked after failed sign-ins",
  kind_failed_sign_in: "Failed sign-in",

  reason_unfamiliar_country: (country: string) =>
    `${country} is not a country this account has been used from.`,
  reason_unfamiliar_device: (label: string) =>
    `${label} is not a device this account has been used from.`,
  reason_unidentified_device: (label: string) =>
    `The device (“${label}”) could not be identified, so it cannot be matched to one of yours.`,
  reason_unknown_location:
    "The address could not be located, so no country was judged: only the device was.",
  reason_network: (network: string) => `The address belongs to ${network}.`,
  reason_network_seen: (network: string) =>
    `The address belongs to ${network}, a network you have used before.`,
  reason_unknown_network: "an unknown network",
  reason_vpn: (network: string, operator: string) =>
    `The address belongs to ${network}, a hosting network (${operator}) where VPN services and rented servers live: this may well be a VPN.`,
  reason_impossible_travel: (from: string, to: string, km: string, time: string, kmh: string) =>
    `${from} to ${to} is ${km} in ${time}: even allowing for geolocation error that is ${kmh}, faster than any flight.`,
  reason_unusual_route:
    "Both places are in countries this account is used from, so this is probably your ISP or carrier (or a VPN) routing the connection through a distant point, not a journey.",
  reason_travel_mode: (until: string) =>
    `Travel mode is on until ${until}, so a new place alone is shown as information.`,
  reason_not_from_this_app: "It was not done from Keepwatch.",
  reason_unknown_session: "The account service did not say which session did it.",
  reason_unseen_session: (id: string) =>
    `It was done from a session Keepwatch never saw (${id}): it signed in and acted between two looks.`,
  reason_signed_out_by_password:
    "The password change signed Keepwatch out too: it is not watching until you sign in again.",
  reason_signed_out_by_two_factor:
    "The 2FA reset signed Keepwatch out too: it is not watching until you sign in again.",
  reason_signed_out_token_reused:
    "Keepwatch's sign-in was used a second time from somewhere else, so the account service ended it: someone may have a copy of it. Keepwatch is not watching until you sign in again.",
  reason_signed_out:
    "Keepwatch's own session was signed out: it is not watching until you sign in again.",
  reason_other_sessions_signed_out: (n: number | null, formatted: string) =>
    n === null
      ? "Every other session was signed out."
      : n === 1
        ? "The one other session was signed out."
        : `Every other session (${formatted}) was signed out.`,
  reason_withdrawal: (amount: string, asset: string, address: string) =>
    `${amount} ${asset} is being sent to ${address}, which is not in your address book.`,
  reason_failed_invalid_credentials: "Someone tried to sign in with a wrong password.",
  reason_failed_totp_required:
    "Someone entered the right password and was asked for a 2FA code.",
  reason_failed_invalid_totp:
    "Someone entered the right password but a wrong 2FA code: if it was not you, someone knows your password.",
  reason_failed_account_locked: "A sign-in was refused because the account was locked.",
  reason_failed_ip_blocked: "A sign-in was refused because its address is on your blocklist.",
  reason_failed_other: "A sign-in failed.",
  reason_account_locked_until: (until: string) =>
    `Too many failed sign-ins locked the account until ${until}.`,
  reason_account_locked: "Too many failed sign-ins locked the account.",

  stepOf: (index: string, total: string) => `Step ${index} of ${total}`,
  step_sign_in_again: "Sign in to Keepwatch again",
  signInAgainBody:
    "Keepwatch is not watching this account until you sign in again under Accounts. If the password was changed and it was not you, the account service's password reset or support gets you back in.",
  step_sign_out_session: "Sign this session out",
  step_change_password: "Change your password",
  step_reset_two_factor: "Reset 2FA (this also replaces every backup code)",
  step_review_withdrawals: "Review recent withdrawals",
  step_block_ip: (ip: string) => `Add ${ip} to your IP blocklist`,
  step_contact_support: "Contact support",
  doStep: "Do it",
  skipStep: "Skip",
  stepDone: "Done",
  stepSkipped: "Skipped",
  stepFailed: "Failed",
  flowDone: "All steps are done.",
  contactSupportBody:
    "Your account service's support team can audit recent activity and reverse fraudulent moves where possible. Contact them now: say when this happened and which withdrawals you did not make.",
  blockNoteFromAlert: "Blocked from a Keepwatch alert",

  currentPassword: "Current password",
  newPassword: "New password",
  repeatPassword: "New password again",
  passwordsDiffer: "The two new passwords differ.",
  passwordTooShort: (min: string) => `Use at least ${min} characters.`,
  changePassword: "Change password",
  passwordChanged: (count: string) =>
    `Password changed. Other sessions signed out: ${count}.`,

  reset2faIntro:
    "Resetting 2FA replaces your authenticator secret and every backup code. Confirm with your password.",
  reset2fa: "Reset 2FA",
  password: "Password",
  newSecretTitle: "Your new 2FA secret",
  scanQr: "Scan this code with your authenticator app, or type the secret in.",
  secret: "Secret",
  backupCodes: "Backup codes",
  shownOnce:
    "This is shown only once. Store the backup codes somewhere safe before you close this.",
  savedThem: "I have saved them",
  qrLabel: "QR code for your authenticator app",

  withdrawalsTitle: "Recent withdrawals",
  noWithdrawals: "No recent withdrawals.",
  inAddressBook: "In your address book",
  notInAddressBook: "Not in your address book",
  unknownAddressesFound: (count: string) =>
    `Withdrawals to addresses you did not add: ${count}. Contact support immediately.`,
  withdrawal_pending: "Pending",
  withdrawal_completed: "Sent",
  withdrawal_cancelled: "Cancelled",
  withdrawal_failed: "Failed",
  withdrawal_unknown: "Unknown",
  requestedFrom: (ip: string) => `Requested from ${ip}`,

  historyTitle: "History",
  historyIntro: "Every session and sign-in Keepwatch has seen, kept on this computer.",
  filterTime: "Time",
  filterCountry: "Country",
  filterDevice: "Device",
  filterState: "State",
  filterSearch: "Search",
  searchPlaceholder: "Device, IP, network, place…",
  any: "Any",
  last24h: "Last 24 hours",
  last7d: "Last 7 days",
  last30d: "Last 30 days",
  last365d: "Last year",
  clearFilters: "Clear filters",
  history_active: "Active",
  history_signed_out: "Signed out",
  history_expired: "Expired",
  history_failed: "Failed sign-in",
  exportCsv: "Export CSV",
  exportJson: "Export JSON",
  exported: (count: string, path: string) => `Exported ${count} rows to ${path}.`,
  exportCancelled: "Export cancelled.",
  mapTitle: "Where sign-ins came from",
  mapLabel: "World map of sign-in locations",
  withoutLocation: (count: string) => `Without a known location: ${count}`,
  timelineTitle: "When",
  timelineLabel: "Sign-ins per day",
  noHistory: "Nothing in the history matches.",
  matching: (count: string) => `Matching: ${count}`,
  confirmedByYou: "Confirmed by you",

  securityTitle: "Security settings",
  blocklistTitle: "IP blocklist",
  blocklistIntro: "Sign-ins from these addresses are refused.",
  addressOrRange: "Address or range (e.g. 203.0.113.7 or 2001:db8::/48)",
  noteOptional: "Note (optional)",
  emptyBlocklist: "No blocked addresses.",
  sessionLengthTitle: "Session length",
  webIdleDays: "Web and desktop sessions end after this many idle days (1–30)",
  mobileIdleDays: "Mobile app sessions end after this many idle days (1–90)",
  trustedTitle: "Trusted devices",
  trustedIntro: "These devices skip the 2FA prompt. Forget any you do not fully control.",
  trustedUntil: (when: string) => `Trusted until ${when}`,
  forget: "Forget",
  noTrusted: "No trusted devices.",
  notificationsTitle: "Notifications",
  notificationsOn: "Show a notification for new alerts",
  notifyFrom: "Notify from severity",
  sound: "Play a sound",
  travelTitle: "Travel mode",
  travelIntro:
    "While you travel, a new country alone is shown as information instead of a warning. New devices still warn.",
  travelOnUntil: (when: string) => `On until ${when}`,
  travelOff: "Off",
  travelFor: (days: string) => `Turn on for ${days} days`,
  turnOff: "Turn off",
  startAtLogin: "Start Keepwatch when I log in",
  languageTitle: "Language",
  languageSystem: "System language",
  appTitle: "App",

  accountsTitle: "Accounts",
  addAccount: "Add an account",
  serverUrl: "Account service address",
  email: "Email",
  totpCode: "6-digit code from your authenticator app",
  totpPrompt:
    "This account uses two-factor authentication. Enter the current code from your authenticator app.",
  rememberAccount: "Remember this account on this computer",
  trustExisting: "The sessions signed in now are mine",
  trustExistingHint:
    "Their devices and countries become familiar. Untick it if you are not sure: Keepwatch then flags each one it does not recognise.",
  trustDevice: "Trust this computer for 30 days (skip the 2FA prompt)",
  signIn: "Sign in",
  signingIn: "Signing in…",
  switchTo: "Switch to this account",
  activeAccount: "Active",
  signedOut: "Signed out",
  signOutAccount: "Sign out",
  forgetAccount: "Sign out and forget",

  err_account_locked: (time: string) =>
    `Too many failed sign-ins have locked this account. You can try again in ${time}.`,
  err_account_locked_no_time:
    "Too many failed sign-ins have locked this account. Most locks lift by themselves after 30 minutes.",
  err_ip_blocked:
    "Sign-in refused: this computer's network address is on the account's IP blocklist. Sign in from another network, or remove the address from the blocklist on a device that is signed in.",
  err_ip_blocked_time: (time: string) =>
    `Sign-in refused: this computer's network address is blocked. The block lifts in ${time}.`,
  err_rate_limited: (time: string) => `Too many requests. Try again in ${time}.`,
  err_rate_limited_no_time: "Too many requests. Wait a moment and try again.",
  err_unavailable: "The account service cannot answer right now. Try again later.",
  err_invalid_credentials: "Wrong email or password.",
  err_invalid_totp: "That code was not right. Codes change every 30 seconds: use the current one.",
  err_totp_required: "Enter the code from your authenticator app.",
  err_invalid_token: "Your session with the account service has ended. Sign in again.",
  err_not_signed_in: "Sign in to this account first.",
  err_network:
    "The account service could not be reached. Check its address and your connection.",
  err_tls: "The account service's certificate was refused, so nothing was sent.",
  err_weak_password: "The new password is too weak or the same as the current one.",
  err_invalid_value: "A value is outside what the account service allows.",
  err_invalid_request: "The account service refused the request as malformed.",
  err_current_session:
    "This is the session Keepwatch itself uses. Sign out from Accounts instead.",
  err_not_found: "It no longer exists — it may already have been removed.",
  err_not_connected: "Not connected to the Keepwatch service.",
  err_other: (message: string) => `Something went wrong: ${message}`,

  aboutTitle: "About Keepwatch",
  aboutBody:
    "Keepwatch watches your account's sessions and tells you when someone signs in from a device or country you do not use. Your password is kept only in your computer's keyring.",
  attributionTitle: "Data",
  geoAttribution: "IP geolocation by DB-IP",
  geoLicence: "Licensed under CC BY 4.0",
  mapAttribution: "Map outlines: Natural Earth, via world-atlas (public domain)",
  timesNote: (zone: string) => `Times are shown in your time zone (${zone}).`,
};

export type Messages = typeof en;
