# Keepwatch's wording in English: the window, notifications, the tray, native dialogs, the
# detector's alert titles and reasons, and the command line. Every message here must exist in ../ar/keepwatch.ftl
# with the same variables (tested in Rust and in the UI). See ../../README.md.

## The window: navigation and common buttons

app-tagline = Watching your account's sessions
nav = Sections
nav-sessions = Sessions
nav-alerts = Alerts
nav-history = History
nav-security = Security
nav-accounts = Accounts
nav-about = About
not-connected-title = Not connected to the Keepwatch service
not-connected-body = This window is not talking to the Keepwatch app's background service, so there is nothing to show yet. Start Keepwatch from your applications menu; your sessions, alerts and history will appear here.
loading = Loading…
retry = Try again
cancel = Cancel
close = Close
save = Save
saved = Saved
remove = Remove
add = Add

## Sync status

last-synced = Last synced { $when }
never-synced = Not synced yet
phase-idle = Up to date
phase-syncing = Syncing…
phase-offline = Offline — showing saved data
phase-signed-out = Signed out — sign in again
phase-no-account = No account yet — sign in to start watching
phase-error = Sync failed
live = Live
no-account = Add an account to start watching its sessions.

## Sessions

sessions-title = Active sessions
sessions-intro = Every device signed in to your account right now.
sign-out-others = Sign out all other sessions
password-to-sign-out = This account’s server asks for its password to sign devices out. Keepwatch sends it once and does not keep it.
confirm-sign-out-title = Sign this session out?
confirm-sign-out-body = Whoever uses it is signed out at once and must sign in again.
confirm-sign-out-others-title = Sign out every other session?
confirm-sign-out-others-body = Every session except the one on this computer will end — including your own other devices, such as your phone or another browser. Each of them will have to sign in again with your password. This computer stays signed in.
confirm-sign-out-others-action = Sign out all others
signed-out-others =
    { $count ->
        [one] Signed out { $count } other session.
       *[other] Signed out { $count } other sessions.
    }
sign-out = Sign out
signing-out = Signing out…
current-session = This device
first-login = First login
first-seen-by-keepwatch = First seen by Keepwatch
last-activity = Last activity
location = Location
ip-address = IP address
unknown-network = Unknown network
unknown-location = Location unknown
offline-actions = Offline: signing sessions out needs a connection to the account service.
no-sessions = No sessions to show.
unfamiliar = Unfamiliar session
this-was-me = This was me
respond = Respond
sessions-count =
    { $count ->
        [one] { $count } session
       *[other] { $count } sessions
    }

## Alerts and severities (also notifications and the tray)

alerts-title = Alerts
no-alerts = No alerts. Keepwatch is watching.
show-resolved = Show resolved alerts
severity-info = Information
severity-warning = Warning
severity-critical = Critical
state-open = New
state-acknowledged = Seen
state-resolved = Resolved
mark-seen = Mark as seen
mark-resolved = Mark as resolved
reopen = Reopen
why = Why this alert
what-to-do = What to do

## Alert titles, by kind (the history keeps the English ones)

kind-possible-takeover = Possible account takeover
kind-new-country = New country — VPN or unusual route?
kind-impossible-travel = Impossible travel — VPN or unusual route?
kind-new-device = New device
kind-unknown-withdrawal-address = Withdrawal to an address not in your address book
kind-two-factor-reset = 2FA was reset outside Keepwatch
kind-password-changed = Password changed outside Keepwatch
kind-keepwatch-signed-out = Keepwatch was signed out by another session
kind-account-locked = Account locked after failed sign-ins
kind-failed-sign-in = Failed sign-in

## Why an alert was raised, by reason (the detector's and the window's)

reason-unfamiliar-country = { $country } is not a country this account has been used from.
reason-unfamiliar-device = { $label } is not a device this account has been used from.
reason-unidentified-device = The device (“{ $label }”) could not be identified, so it cannot be matched to one of yours.
reason-unknown-location = The address could not be located, so no country was judged: only the device was.
reason-network = The address belongs to { $network }.
reason-network-seen = The address belongs to { $network }, a network you have used before.
reason-unknown-network = an unknown network
reason-vpn = The address belongs to { $network }, a hosting network ({ $operator }) where VPN services and rented servers live: this may well be a VPN.
reason-impossible-travel = { $from } to { $to } is { $km } in { $time }: even allowing for geolocation error that is { $kmh }, faster than any flight.
reason-unusual-route = Both places are in countries this account is used from, so this is probably your ISP or carrier (or a VPN) routing the connection through a distant point, not a journey.
reason-travel-mode = Travel mode is on until { $until }, so a new place alone is shown as information.
reason-not-from-this-app = It was not done from Keepwatch.
reason-unknown-session = The account service did not say which session did it.
reason-unseen-session = It was done from a session Keepwatch never saw ({ $id }): it signed in and acted between two looks.
reason-signed-out-by-password = The password change signed Keepwatch out too: it is not watching until you sign in again.
reason-signed-out-by-two-factor = The 2FA reset signed Keepwatch out too: it is not watching until you sign in again.
reason-signed-out-token-reused = Keepwatch's sign-in was used a second time from somewhere else, so the account service ended it: someone may have a copy of it. Keepwatch is not watching until you sign in again.
reason-signed-out = Keepwatch's own session was signed out: it is not watching until you sign in again.
reason-other-sessions-signed-out =
    { $count ->
        [one] The one other session was signed out.
       *[other] Every other session ({ $count }) was signed out.
    }
reason-other-sessions-signed-out-all = Every other session was signed out.
reason-withdrawal = { $amount } { $asset } is being sent to { $address }, which is not in your address book.
reason-failed-invalid-credentials = Someone tried to sign in with a wrong password.
reason-failed-totp-required = Someone entered the right password and was asked for a 2FA code.
reason-failed-invalid-totp = Someone entered the right password but a wrong 2FA code: if it was not you, someone knows your password.
reason-failed-account-locked = A sign-in was refused because the account was locked.
reason-failed-ip-blocked = A sign-in was refused because its address is on your blocklist.
reason-failed-other = A sign-in failed.
reason-account-locked-until = Too many failed sign-ins locked the account until { $until }.
reason-account-locked = Too many failed sign-ins locked the account.

## Response steps

step-of = Step { $index } of { $total }
step-sign-in-again = Sign in to Keepwatch again
sign-in-again-body = Keepwatch is not watching this account until you sign in again under Accounts. If the password was changed and it was not you, the account service's password reset or support gets you back in.
step-sign-out-session = Sign this session out
step-change-password = Change your password
step-reset-two-factor = Reset 2FA (this also replaces every backup code)
step-review-withdrawals = Review recent withdrawals
step-block-ip = Add { $ip } to your IP blocklist
step-contact-support = Contact support
do-step = Do it
skip-step = Skip
step-done = Done
step-skipped = Skipped
step-failed = Failed
flow-done = All steps are done.
contact-support-body = Your account service's support team can audit recent activity and reverse fraudulent moves where possible. Contact them now: say when this happened and which withdrawals you did not make.
block-note-from-alert = Blocked from a Keepwatch alert

## Password and 2FA

current-password = Current password
new-password = New password
repeat-password = New password again
passwords-differ = The two new passwords differ.
password-too-short =
    { $min ->
        [one] Use at least { $min } character.
       *[other] Use at least { $min } characters.
    }
change-password = Change password
password-changed =
    { $count ->
        [one] Password changed. Signed out { $count } other session.
       *[other] Password changed. Signed out { $count } other sessions.
    }
reset2fa-intro = Resetting 2FA replaces your authenticator secret and every backup code. Confirm with your password.
reset2fa = Reset 2FA
password = Password
new-secret-title = Your new 2FA secret
scan-qr = Scan this code with your authenticator app, or type the secret in.
secret = Secret
backup-codes = Backup codes
shown-once = This is shown only once. Store the backup codes somewhere safe before you close this.
saved-them = I have saved them
qr-label = QR code for your authenticator app

## Withdrawals

withdrawals-title = Recent withdrawals
no-withdrawals = No recent withdrawals.
in-address-book = In your address book
not-in-address-book = Not in your address book
unknown-addresses-found =
    { $count ->
        [one] { $count } withdrawal to an address you did not add. Contact support immediately.
       *[other] { $count } withdrawals to addresses you did not add. Contact support immediately.
    }
withdrawal-pending = Pending
withdrawal-completed = Sent
withdrawal-cancelled = Cancelled
withdrawal-failed = Failed
withdrawal-unknown = Unknown
requested-from = Requested from { $ip }

## History

history-title = History
history-intro = Every session and sign-in Keepwatch has seen, kept on this computer.
filter-time = Time
filter-country = Country
filter-device = Device
filter-state = State
filter-search = Search
search-placeholder = Device, IP, network, place…
any = Any
last24h = Last 24 hours
last7d = Last 7 days
last30d = Last 30 days
last365d = Last year
clear-filters = Clear filters
history-active = Active
history-signed-out = Signed out
history-expired = Expired
history-failed = Failed sign-in
export-csv = Export CSV
export-json = Export JSON
exported =
    { $count ->
        [one] Exported { $count } row to { $path }.
       *[other] Exported { $count } rows to { $path }.
    }
export-cancelled = Export cancelled.
exporting =
    Exporting: { $done } of { $total ->
        [one] { $total } row
       *[other] { $total } rows
    } ({ $percent }%)
map-title = Where sign-ins came from
map-label = World map of sign-in locations
without-location = Without a known location: { $count }
timeline-title = When
timeline-label = Sign-ins per day
no-history = Nothing in the history matches.
matching = Matching: { $count }
matching-more = Matching: more than { $count }
show-more = Show more
confirmed-by-you = Confirmed by you

## Security settings

security-title = Security settings
blocklist-title = IP blocklist
blocklist-intro = Sign-ins from these addresses are refused.
address-or-range = Address or range (e.g. 203.0.113.7 or 2001:db8::/48)
note-optional = Note (optional)
empty-blocklist = No blocked addresses.
session-length-title = Session length
web-idle-days = Web and desktop sessions end after this many idle days (1–30)
mobile-idle-days = Mobile app sessions end after this many idle days (1–90)
trusted-title = Trusted devices
trusted-intro = These devices skip the 2FA prompt. Forget any you do not fully control.
trusted-until = Trusted until { $when }
forget = Forget
no-trusted = No trusted devices.
notifications-title = Notifications
notifications-on = Show a notification for new alerts
notify-from = Notify from severity
sound = Play a sound
travel-title = Travel mode
travel-intro = While you travel, a new country alone is shown as information instead of a warning. New devices still warn.
travel-on-until = On until { $when }
travel-off = Off
travel-for =
    { $days ->
        [one] Turn on for { $days } day
       *[other] Turn on for { $days } days
    }
turn-off = Turn off
start-at-login = Start Keepwatch when I log in
language-title = Language
language-system = System language
app-title = App

## Location data (places the sessions of servers that do not place them, such as Matrix)

geo-title = Location data
geo-intro = This account’s server does not say where its sessions are. Keepwatch places their addresses itself, with DB-IP Lite’s free files kept on this computer: no address leaves it.
geo-missing = No location data yet: sessions are listed without places, so a sign-in from another country looks like one from home.
geo-files =
    { $count ->
        [one] One location file, written { $when }.
       *[other] { $count } location files, the newest written { $when }.
    }
geo-download = Download location data
geo-update = Download this month’s files
geo-downloading = Downloading { $file }: { $done } of { $total } MB
geo-downloading-unsized = Downloading { $file }: { $done } MB
geo-downloaded = Location data downloaded. Sessions are placed from now on.
geo-folder = Folder of location files to read too
geo-folder-hint = A folder another program keeps up to date, such as MaxMind’s geoipupdate (.mmdb files, or .csv for ISPs). Leave it empty to use Keepwatch’s own files only.
geo-choose-folder = Choose…
geo-use-folder = Use this folder
geo-folder-saved = Folder saved: { $count ->
        [one] one location file read from it.
       *[other] { $count } location files read from it.
    }

## Accounts and sign-in

accounts-title = Accounts
add-account = Add an account
server-url = Account service address
found-matrix = A Matrix homeserver: sign in with your user name and password.
found-keepwatch-api = A Keepwatch API account server.
matrix-user = User name
matrix-sign-in-unsupported = This homeserver signs in through OAuth 2.0 or single sign-on, which Keepwatch does not support yet.
email = Email
totp-code = 6-digit code from your authenticator app
totp-prompt = This account uses two-factor authentication. Enter the current code from your authenticator app.
remember-account = Remember this account on this computer
trust-existing = The sessions signed in now are mine
trust-existing-hint = Their devices and countries become familiar. Untick it if you are not sure: Keepwatch then flags each one it does not recognise.
trust-device = Trust this computer for 30 days (skip the 2FA prompt)
sign-in = Sign in
signing-in = Signing in…
switch-to = Switch to this account
active-account = Active
signed-out = Signed out
sign-out-account = Sign out
forget-account = Sign out and forget

## Errors, worded for people

error-account-locked = Too many failed sign-ins have locked this account. You can try again in { $time }.
error-account-locked-no-time = Too many failed sign-ins have locked this account. Most locks lift by themselves after 30 minutes.
error-ip-blocked = Sign-in refused: this computer's network address is on the account's IP blocklist. Sign in from another network, or remove the address from the blocklist on a device that is signed in.
error-ip-blocked-time = Sign-in refused: this computer's network address is blocked. The block lifts in { $time }.
error-rate-limited = Too many requests. Try again in { $time }.
error-rate-limited-no-time = Too many requests. Wait a moment and try again.
error-unavailable = The account service cannot answer right now. Try again later.
error-invalid-credentials = Wrong email or password.
error-invalid-totp = That code was not right. Codes change every 30 seconds: use the current one.
error-totp-required = Enter the code from your authenticator app.
error-invalid-token = Your session with the account service has ended. Sign in again.
error-not-signed-in = Sign in to this account first.
error-network = The account service could not be reached. Check its address and your connection.
error-tls = The account service's certificate was refused, so nothing was sent.
error-weak-password = The new password is too weak or the same as the current one.
error-invalid-value = A value is outside what the account service allows.
error-invalid-request = The account service refused the request as malformed.
error-current-session = This is the session Keepwatch itself uses. Sign out from Accounts instead.
error-not-found = It no longer exists — it may already have been removed.
error-not-connected = Not connected to the Keepwatch service.
error-other = Something went wrong: { $message }

## About

about-title = About Keepwatch
about-body = Keepwatch watches your account's sessions and tells you when someone signs in from a device or country you do not use. Your password is kept only in your computer's keyring.
about-logs = Keepwatch keeps a log here, to send with a bug report (it never holds a password, code or token): { $path }
attribution-title = Data
geo-attribution = IP geolocation by DB-IP
geo-licence = Licensed under CC BY 4.0
map-attribution = Map outlines: Natural Earth, via world-atlas (public domain)
times-note = Times are shown in your time zone ({ $zone }).

## Native surfaces: notifications, the tray menu and dialogs

label-value = { $label }: { $value }
list-separator = { ", " }
new-alerts =
    { $count ->
        [one] { $count } new alert
       *[other] { $count } new alerts
    }
and-more = …and { $count } more
unreviewed-alerts =
    { $count ->
        [0] No unreviewed alerts
        [one] { $count } unreviewed alert
       *[other] { $count } unreviewed alerts
    }
open-keepwatch = Open Keepwatch
pause-an-hour = Pause alerts for an hour
resume-alerts = Resume alerts (paused until { $time })
quit = Quit
tooltip-offline = Keepwatch: offline
tooltip-unreviewed = Keepwatch: unreviewed alerts
tooltip-watching = Keepwatch: watching
others-failed-title = Could not sign out other sessions
others-failed-body = The other sessions are still signed in: { $reason }.
cannot-start = Keepwatch cannot start: { $reason }
files-repaired-title = Keepwatch repaired its files

## Units and durations for Rust's own sentences (the window formats these with Intl)

distance-km = { $km } km
speed-kmh = { $kmh } km/h
duration-minutes =
    { $minutes ->
        [one] { $minutes } minute
       *[other] { $minutes } minutes
    }
duration-hours = { $hours } h
duration-hours-minutes = { $hours } h { $minutes } min

## The command line (keepwatch); the window's sentences above serve it too where they fit.

cli-signed-in =
    Signed in as { $account } ({ $sessions ->
        [one] { $sessions } active session
       *[other] { $sessions } active sessions
    }, { $alerts ->
        [one] { $alerts } alert
       *[other] { $alerts } alerts
    }).
cli-session-length =
    Web and desktop sessions: { $web ->
        [one] { $web } idle day
       *[other] { $web } idle days
    }; mobile app: { $mobile ->
        [one] { $mobile } idle day
       *[other] { $mobile } idle days
    }.
cli-history-shown = { $shown } of { $total } shown; narrow the search or raise --limit.
cli-history-shown-more = { $shown } of more than { $total } shown; narrow the search or raise --limit.

# Prompts and questions. The command adds ": " after a prompt and "[Y/n]" after a question.

cli-password-for = Password for { $name }
cli-sign-out-password = Account password (to confirm the sign-out)
cli-two-factor-code = Two-factor code
cli-keep-history = Keep the history of { $account } on this machine?
cli-confirm-sign-out-others = Sign out every other session of this account (your other devices too)?

# What a command did.

cli-signed-out-history-kept = Signed out of { $account }; history kept.
cli-signed-out-history-deleted = Signed out of { $account }; history deleted.
cli-signed-out-session = Signed out session { $id }.
cli-trusted-session = Trusted session { $id }: its device and country are now familiar.
cli-alert-acknowledged = Alert { $key } acknowledged.
cli-travel-on = Travel mode on until { $until }.
cli-travel-off = Travel mode off.
cli-exported-to = Exported to { $path }.
cli-two-factor-reset =
    2FA reset. The new secret and { $codes ->
        [one] { $codes } backup code
       *[other] { $codes } backup codes
    } are in { $path } (readable by you only); add the secret to your authenticator app, then delete the file.
cli-blocked = Blocked { $range } (entry { $id }).
cli-block-removed = Removed blocklist entry { $id }.
cli-forgot-trusted-device = Forgot trusted device { $id }; its next sign-in asks for the 2FA code.

# Empty lists, and the words inside tables.

cli-no-accounts = No accounts; run `keepwatch login`.
cli-no-sessions = No sessions.
cli-no-alerts = No alerts.
cli-blocklist-empty = The blocklist is empty.
cli-no-withdrawals = No withdrawals.
cli-no-sign-in-attempts = No sign-in attempts.
cli-this-device = this device (Keepwatch's own session)
cli-trusted = trusted
cli-trusted-by = trusted ({ $source })
cli-unknown-place = unknown
cli-in-address-book = yes
cli-not-in-address-book = NO
cli-alert-session = [session { $id }]

# Table columns.

cli-column-account = ACCOUNT
cli-column-added = ADDED
cli-column-alert = ALERT
cli-column-amount = AMOUNT
cli-column-device = DEVICE
cli-column-ended = ENDED
cli-column-first-login = FIRST LOGIN
cli-column-first-seen = FIRST SEEN BY KEEPWATCH
cli-column-from-ip = FROM IP
cli-column-id = ID
cli-column-in-address-book = IN ADDRESS BOOK
cli-column-ip = IP
cli-column-isp = ISP
cli-column-last-activity = LAST ACTIVITY
cli-column-location = LOCATION
cli-column-note = NOTE
cli-column-outcome = OUTCOME
cli-column-range = RANGE
cli-column-server = SERVER
cli-column-session = SESSION
cli-column-severity = SEVERITY
cli-column-state = STATE
cli-column-status = STATUS
cli-column-summary = SUMMARY
cli-column-title = TITLE
cli-column-to = TO
cli-column-trusted = TRUSTED
cli-column-until = UNTIL
cli-column-when = WHEN

# `keepwatch status`: labels padded to the widest by the command, then their values.

cli-status-account = Account:
cli-status-server = Server:
cli-status-signed-in = Signed in:
cli-status-last-synced = Last synced:
cli-status-active-sessions = Active sessions:
cli-status-open-alerts = Open alerts:
cli-status-history = History:
cli-status-yes = yes
cli-status-no = no — run `keepwatch login` again
cli-status-unknown = unknown (offline: { $reason })

# How fresh the data is, and `keepwatch watch` on stderr.

cli-offline = offline — { $synced } ({ $reason })
cli-signed-out-showing-history = signed out — showing history, { $synced }; run `keepwatch login` again
cli-server-unreachable = server unreachable
cli-last-synced = last synced { $ago }
cli-never-synced = never synced
cli-just-now = just now
cli-minutes-ago =
    { $count ->
        [one] { $count } minute ago
       *[other] { $count } minutes ago
    }
cli-hours-ago =
    { $count ->
        [one] { $count } hour ago
       *[other] { $count } hours ago
    }
cli-days-ago =
    { $count ->
        [one] { $count } day ago
       *[other] { $count } days ago
    }
cli-watching = Watching { $account } (Ctrl-C to stop).
cli-back-online = back online
cli-live = live: following the account's event stream
cli-action-done = done: { $action } for session { $session }
cli-action-failed = failed: { $action } for session { $session }: { $reason }
cli-watch-signed-out = signed out; run `keepwatch login` again
cli-watcher-failed = watcher failed: { $reason }
cli-stopping = stopping

# Errors, after "keepwatch: " on one line.

cli-cancelled = cancelled
cli-cannot-start = cannot start: { $reason }
cli-give-email-or-user = give --email or --user
cli-give-session-or-all-others = give a session id or --all-others
cli-give-until-or-off = give --until or --off
cli-passwords-differ = the new passwords differ
cli-cannot-read-ca = cannot read the CA certificate { $path }
cli-cannot-export = cannot export to { $path }
cli-cannot-create = cannot create { $path } (it must not exist yet)
cli-cannot-read-stdin = cannot read standard input
cli-stdin-ended = standard input ended before a line was read
cli-cannot-read-password = cannot read the password
cli-no-terminal-password = no terminal to ask for a password; use --password-stdin
cli-no-terminal-prompt = no terminal to ask "{ $prompt }"; pass it as a flag
cli-no-terminal-question = "{ $question }" needs an answer: no terminal to ask; pass the flag that answers it (see --help)
cli-bad-time = cannot read { $text } as a time: use RFC 3339, YYYY-MM-DD, or 30m / 24h / 7d
cli-time-too-far = { $text } is too far ahead
cli-time-in-past = { $text } is in the past
cli-setting-keys = the settings are { $keys }
cli-cannot-render-man = cannot render the manual page
cli-cannot-write-stdout = cannot write to standard output

## keepwatch geo
cli-geo-dir = Location data in { $dir }
cli-geo-none = No location data yet: Matrix sessions are listed without places. Run `keepwatch geo update`, or `keepwatch geo import FILE…`.
cli-geo-places = places
cli-geo-isps = ISPs
cli-geo-downloading = Downloading { $file }: { $done } of { $total } MB
cli-geo-downloading-unsized = Downloading { $file }: { $done } MB
cli-geo-folder = Also read first: { $folder }
cli-column-file = FILE
cli-column-gives = GIVES
cli-column-size = SIZE
cli-column-written = WRITTEN
