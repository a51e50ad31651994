# Keepwatch's wording in Arabic: the same messages and variables as ../en/keepwatch.ftl.
# Counts take Arabic's six plural categories: zero, one, two, few (3–10), many (11–99), other.

## The window: navigation and common buttons

app-tagline = يراقب جلسات حسابك
nav = الأقسام
nav-sessions = الجلسات
nav-alerts = التنبيهات
nav-history = السجل
nav-security = الأمان
nav-accounts = الحسابات
nav-about = حول
not-connected-title = غير متصل بخدمة Keepwatch
not-connected-body = هذه النافذة لا تتصل بخدمة Keepwatch الخلفية، لذلك لا يوجد ما يُعرض بعد. شغّل Keepwatch من قائمة التطبيقات، وستظهر هنا جلساتك وتنبيهاتك وسجلّك.
loading = جارٍ التحميل…
retry = أعد المحاولة
cancel = إلغاء
close = إغلاق
save = حفظ
saved = تم الحفظ
remove = إزالة
add = إضافة

## Sync status

last-synced = آخر مزامنة { $when }
never-synced = لم تتم المزامنة بعد
phase-idle = محدَّث
phase-syncing = جارٍ المزامنة…
phase-offline = غير متصل — تُعرض البيانات المحفوظة
phase-signed-out = تم تسجيل الخروج — سجّل الدخول مجددًا
phase-no-account = لا يوجد حساب بعد — سجّل الدخول لبدء المراقبة
phase-error = فشلت المزامنة
live = مباشر
no-account = أضف حسابًا لبدء مراقبة جلساته.

## Sessions

sessions-title = الجلسات النشطة
sessions-intro = كل جهاز مسجَّل الدخول إلى حسابك الآن.
sign-out-others = تسجيل الخروج من كل الجلسات الأخرى
password-to-sign-out = يطلب خادم هذا الحساب كلمة مروره لتسجيل خروج الأجهزة. يرسلها Keepwatch مرة واحدة ولا يحتفظ بها.
confirm-sign-out-title = تسجيل خروج هذه الجلسة؟
confirm-sign-out-body = يُسجَّل خروج من يستخدمها فورًا وعليه تسجيل الدخول من جديد.
confirm-sign-out-others-title = تسجيل الخروج من كل الجلسات الأخرى؟
confirm-sign-out-others-body = ستنتهي كل الجلسات ما عدا جلسة هذا الحاسوب — بما فيها أجهزتك الأخرى، مثل هاتفك أو متصفح آخر. سيتعيّن على كل منها تسجيل الدخول مجددًا بكلمة المرور. يبقى هذا الحاسوب مسجَّل الدخول.
confirm-sign-out-others-action = تسجيل خروج الجميع
signed-out-others =
    { $count ->
        [zero] لم تُنهَ أي جلسة أخرى.
        [one] أُنهيت جلسة أخرى واحدة.
        [two] أُنهيت جلستان أخريان.
        [few] أُنهيت { $count } جلسات أخرى.
        [many] أُنهيت { $count } جلسة أخرى.
       *[other] أُنهيت { $count } جلسة أخرى.
    }
sign-out = تسجيل الخروج
signing-out = جارٍ تسجيل الخروج…
current-session = هذا الجهاز
first-login = أول دخول
first-seen-by-keepwatch = أول ظهور لدى Keepwatch
last-activity = آخر نشاط
location = الموقع
ip-address = عنوان IP
unknown-network = شبكة غير معروفة
unknown-location = الموقع غير معروف
offline-actions = غير متصل: يتطلب تسجيل خروج الجلسات اتصالًا بخدمة الحساب.
no-sessions = لا توجد جلسات لعرضها.
unfamiliar = جلسة غير مألوفة
this-was-me = كنت أنا
respond = اتخذ إجراءً
sessions-count =
    { $count ->
        [zero] لا جلسات
        [one] جلسة واحدة
        [two] جلستان
        [few] { $count } جلسات
        [many] { $count } جلسة
       *[other] { $count } جلسة
    }

## Alerts and severities (also notifications and the tray)

alerts-title = التنبيهات
no-alerts = لا توجد تنبيهات. Keepwatch يراقب.
show-resolved = إظهار التنبيهات المحلولة
severity-info = معلومة
severity-warning = تحذير
severity-critical = حرج
state-open = جديد
state-acknowledged = تمت رؤيته
state-resolved = محلول
mark-seen = وضع علامة: تمت رؤيته
mark-resolved = وضع علامة: محلول
reopen = إعادة فتح
why = سبب هذا التنبيه
what-to-do = ما العمل

## Alert titles, by kind (the history keeps the English ones)

kind-possible-takeover = احتمال استيلاء على الحساب
kind-new-country = بلد جديد — شبكة VPN أم مسار غير معتاد؟
kind-impossible-travel = سفر مستحيل — شبكة VPN أم مسار غير معتاد؟
kind-new-device = جهاز جديد
kind-unknown-withdrawal-address = سحب إلى عنوان ليس في دفتر عناوينك
kind-two-factor-reset = أُعيد ضبط المصادقة الثنائية خارج Keepwatch
kind-password-changed = تغيّرت كلمة المرور خارج Keepwatch
kind-keepwatch-signed-out = سجّلت جلسة أخرى خروج Keepwatch
kind-account-locked = قُفل الحساب بعد محاولات دخول فاشلة
kind-failed-sign-in = محاولة دخول فاشلة

## Why an alert was raised, by reason (the detector's and the window's)

reason-unfamiliar-country = لم يُستخدم هذا الحساب من قبل من { $country }.
reason-unfamiliar-device = لم يُستخدم هذا الحساب من قبل من الجهاز { $label }.
reason-unidentified-device = تعذّر التعرّف على الجهاز («{ $label }»)، فلا يمكن مطابقته مع أحد أجهزتك.
reason-unknown-location = تعذّر تحديد موقع العنوان، فلم يُحكم على البلد: حُكم على الجهاز وحده.
reason-network = العنوان تابع لشبكة { $network }.
reason-network-seen = العنوان تابع لشبكة { $network }، وهي شبكة استخدمتها من قبل.
reason-unknown-network = غير معروفة
reason-vpn = العنوان تابع لشبكة { $network }، وهي شبكة استضافة ({ $operator }) تعمل عليها خدمات VPN والخوادم المستأجرة: قد تكون هذه شبكة VPN.
reason-impossible-travel = المسافة من { $from } إلى { $to } هي { $km } خلال { $time }: حتى مع احتساب خطأ تحديد الموقع فهذه سرعة { $kmh }، أسرع من أي رحلة جوية.
reason-unusual-route = المكانان كلاهما في بلدان يُستخدم منها هذا الحساب، فالأرجح أن مزوّد الإنترنت أو شركة الاتصالات (أو شبكة VPN) يمرّر الاتصال عبر نقطة بعيدة، لا أنها رحلة.
reason-travel-mode = وضع السفر مفعَّل حتى { $until }، لذلك يُعرض المكان الجديد وحده كمعلومة.
reason-not-from-this-app = لم يتم ذلك من Keepwatch.
reason-unknown-session = لم تذكر خدمة الحساب أي جلسة قامت بذلك.
reason-unseen-session = تم ذلك من جلسة لم يرها Keepwatch قط ({ $id }): سجّلت الدخول وتصرّفت بين نظرتين.
reason-signed-out-by-password = أخرج تغيير كلمة المرور Keepwatch أيضًا: لن يراقب حتى تسجّل الدخول مجددًا.
reason-signed-out-by-two-factor = أخرجت إعادة ضبط المصادقة الثنائية Keepwatch أيضًا: لن يراقب حتى تسجّل الدخول مجددًا.
reason-signed-out-token-reused = استُخدم تسجيل دخول Keepwatch مرة ثانية من مكان آخر، فأنهته خدمة الحساب: قد يملك أحدهم نسخة منه. لن يراقب Keepwatch حتى تسجّل الدخول مجددًا.
reason-signed-out = سُجّل خروج جلسة Keepwatch نفسها: لن يراقب حتى تسجّل الدخول مجددًا.
reason-other-sessions-signed-out =
    { $count ->
        [one] سُجّل خروج الجلسة الأخرى الوحيدة.
        [two] سُجّل خروج الجلستين الأخريين.
       *[other] سُجّل خروج كل الجلسات الأخرى ({ $count }).
    }
reason-other-sessions-signed-out-all = سُجّل خروج كل الجلسات الأخرى.
reason-withdrawal = يُرسَل { $amount } { $asset } إلى { $address }، وهو عنوان ليس في دفتر عناوينك.
reason-failed-invalid-credentials = حاول شخص تسجيل الدخول بكلمة مرور خاطئة.
reason-failed-totp-required = أدخل شخص كلمة المرور الصحيحة وطُلب منه رمز المصادقة الثنائية.
reason-failed-invalid-totp = أدخل شخص كلمة المرور الصحيحة لكن رمز مصادقة ثنائية خاطئًا: إن لم تكن أنت، فهناك من يعرف كلمة مرورك.
reason-failed-account-locked = رُفض تسجيل دخول لأن الحساب كان مقفلًا.
reason-failed-ip-blocked = رُفض تسجيل دخول لأن عنوانه في قائمة الحظر لديك.
reason-failed-other = فشلت محاولة تسجيل دخول.
reason-account-locked-until = أدّت محاولات الدخول الفاشلة الكثيرة إلى قفل الحساب حتى { $until }.
reason-account-locked = أدّت محاولات الدخول الفاشلة الكثيرة إلى قفل الحساب.

## Response steps

step-of = الخطوة { $index } من { $total }
step-sign-in-again = سجّل الدخول إلى Keepwatch مجددًا
sign-in-again-body = لن يراقب Keepwatch هذا الحساب حتى تسجّل الدخول مجددًا من «الحسابات». إن تغيّرت كلمة المرور ولم تكن أنت، فاستعادة كلمة المرور لدى خدمة الحساب أو دعمها يعيدانك.
step-sign-out-session = تسجيل خروج هذه الجلسة
step-change-password = تغيير كلمة المرور
step-reset-two-factor = إعادة ضبط المصادقة الثنائية (يستبدل ذلك كل الرموز الاحتياطية أيضًا)
step-review-withdrawals = مراجعة عمليات السحب الأخيرة
step-block-ip = إضافة { $ip } إلى قائمة حظر العناوين
step-contact-support = التواصل مع الدعم
do-step = نفّذ
skip-step = تخطَّ
step-done = تم
step-skipped = تم التخطي
step-failed = فشل
flow-done = اكتملت كل الخطوات.
contact-support-body = يستطيع فريق دعم خدمة حسابك مراجعة النشاط الأخير وعكس العمليات الاحتيالية حيثما أمكن. تواصل معهم الآن: اذكر متى حدث ذلك وأي عمليات سحب لم تقم بها.
block-note-from-alert = حُظر من تنبيه في Keepwatch

## Password and 2FA

current-password = كلمة المرور الحالية
new-password = كلمة المرور الجديدة
repeat-password = أعد كتابة كلمة المرور الجديدة
passwords-differ = كلمتا المرور الجديدتان مختلفتان.
password-too-short =
    { $min ->
        [one] استخدم حرفًا واحدًا على الأقل.
        [two] استخدم حرفين على الأقل.
        [few] استخدم { $min } أحرف على الأقل.
        [many] استخدم { $min } حرفًا على الأقل.
       *[other] استخدم { $min } حرف على الأقل.
    }
change-password = تغيير كلمة المرور
password-changed =
    { $count ->
        [zero] تغيّرت كلمة المرور. لم تُنهَ أي جلسة أخرى.
        [one] تغيّرت كلمة المرور. أُنهيت جلسة أخرى واحدة.
        [two] تغيّرت كلمة المرور. أُنهيت جلستان أخريان.
        [few] تغيّرت كلمة المرور. أُنهيت { $count } جلسات أخرى.
        [many] تغيّرت كلمة المرور. أُنهيت { $count } جلسة أخرى.
       *[other] تغيّرت كلمة المرور. أُنهيت { $count } جلسة أخرى.
    }
reset2fa-intro = تستبدل إعادة ضبط المصادقة الثنائية سرّ تطبيق المصادقة وكل الرموز الاحتياطية. أكّد بكلمة المرور.
reset2fa = إعادة ضبط المصادقة الثنائية
password = كلمة المرور
new-secret-title = سرّ المصادقة الثنائية الجديد
scan-qr = امسح هذا الرمز بتطبيق المصادقة، أو اكتب السرّ يدويًا.
secret = السرّ
backup-codes = الرموز الاحتياطية
shown-once = يُعرض هذا مرة واحدة فقط. احفظ الرموز الاحتياطية في مكان آمن قبل الإغلاق.
saved-them = حفظتها
qr-label = رمز QR لتطبيق المصادقة

## Withdrawals

withdrawals-title = عمليات السحب الأخيرة
no-withdrawals = لا توجد عمليات سحب حديثة.
in-address-book = في دفتر عناوينك
not-in-address-book = ليس في دفتر عناوينك
unknown-addresses-found =
    { $count ->
        [one] عملية سحب واحدة إلى عنوان لم تضفه. تواصل مع الدعم فورًا.
        [two] عمليتا سحب إلى عناوين لم تضفها. تواصل مع الدعم فورًا.
        [few] { $count } عمليات سحب إلى عناوين لم تضفها. تواصل مع الدعم فورًا.
        [many] { $count } عملية سحب إلى عناوين لم تضفها. تواصل مع الدعم فورًا.
       *[other] { $count } عملية سحب إلى عناوين لم تضفها. تواصل مع الدعم فورًا.
    }
withdrawal-pending = قيد الانتظار
withdrawal-completed = أُرسلت
withdrawal-cancelled = أُلغيت
withdrawal-failed = فشلت
withdrawal-unknown = غير معروفة
requested-from = طُلبت من { $ip }

## History

history-title = السجل
history-intro = كل جلسة ومحاولة دخول رآها Keepwatch، محفوظة على هذا الحاسوب.
filter-time = الوقت
filter-country = البلد
filter-device = الجهاز
filter-state = الحالة
filter-search = بحث
search-placeholder = جهاز، عنوان IP، شبكة، مكان…
any = الكل
last24h = آخر 24 ساعة
last7d = آخر 7 أيام
last30d = آخر 30 يومًا
last365d = آخر سنة
clear-filters = مسح عوامل التصفية
history-active = نشطة
history-signed-out = سُجّل خروجها
history-expired = انتهت صلاحيتها
history-failed = دخول فاشل
export-csv = تصدير CSV
export-json = تصدير JSON
exported =
    { $count ->
        [zero] لم يُصدَّر أي صف إلى { $path }.
        [one] صُدّر صف واحد إلى { $path }.
        [two] صُدّر صفان إلى { $path }.
        [few] صُدّرت { $count } صفوف إلى { $path }.
        [many] صُدّر { $count } صفًا إلى { $path }.
       *[other] صُدّر { $count } صف إلى { $path }.
    }
export-cancelled = أُلغي التصدير.
exporting =
    جارٍ التصدير: { $done } من { $total ->
        [zero] { $total } صف
        [one] صف واحد
        [two] صفّين
        [few] { $total } صفوف
        [many] { $total } صفًا
       *[other] { $total } صف
    } ({ $percent }%)
map-title = من أين جاءت عمليات الدخول
map-label = خريطة العالم لمواقع تسجيل الدخول
without-location = بلا موقع معروف: { $count }
timeline-title = متى
timeline-label = عمليات الدخول في كل يوم
no-history = لا شيء في السجل يطابق.
matching = المطابق: { $count }
matching-more = المطابق: أكثر من { $count }
show-more = عرض المزيد
confirmed-by-you = أكّدتَ أنها لك

## Security settings

security-title = إعدادات الأمان
blocklist-title = قائمة حظر العناوين
blocklist-intro = تُرفض عمليات الدخول من هذه العناوين.
address-or-range = عنوان أو نطاق (مثل 203.0.113.7 أو 2001:db8::/48)
note-optional = ملاحظة (اختيارية)
empty-blocklist = لا توجد عناوين محظورة.
session-length-title = مدة الجلسة
web-idle-days = تنتهي جلسات الويب وسطح المكتب بعد هذا العدد من أيام الخمول (1–30)
mobile-idle-days = تنتهي جلسات تطبيق الجوال بعد هذا العدد من أيام الخمول (1–90)
trusted-title = الأجهزة الموثوقة
trusted-intro = تتخطى هذه الأجهزة طلب المصادقة الثنائية. انسَ أي جهاز لا تتحكم به بالكامل.
trusted-until = موثوق حتى { $when }
forget = انسَ
no-trusted = لا توجد أجهزة موثوقة.
notifications-title = الإشعارات
notifications-on = عرض إشعار للتنبيهات الجديدة
notify-from = الإشعار ابتداءً من مستوى
sound = تشغيل صوت
travel-title = وضع السفر
travel-intro = أثناء سفرك، يُعرض البلد الجديد وحده كمعلومة بدل تحذير. أما الأجهزة الجديدة فتبقى تُحذّر.
travel-on-until = مفعَّل حتى { $when }
travel-off = متوقف
travel-for =
    { $days ->
        [one] تفعيل لمدة يوم واحد
        [two] تفعيل لمدة يومين
        [few] تفعيل لمدة { $days } أيام
        [many] تفعيل لمدة { $days } يومًا
       *[other] تفعيل لمدة { $days } يوم
    }
turn-off = إيقاف
start-at-login = تشغيل Keepwatch عند تسجيل دخولي إلى الحاسوب
language-title = اللغة
language-system = لغة النظام
app-title = التطبيق

## Location data (places the sessions of servers that do not place them, such as Matrix)

geo-title = بيانات المواقع
geo-intro = خادم هذا الحساب لا يذكر أماكن جلساته. يحدّد Keepwatch أماكن عناوينها بنفسه، بملفات DB-IP Lite المجانية المحفوظة على هذا الحاسوب: لا يغادره أي عنوان.
geo-missing = لا توجد بيانات مواقع بعد: تُعرض الجلسات بلا أماكن، فيبدو تسجيل الدخول من بلد آخر كأنه من بلدك.
geo-files =
    { $count ->
        [zero] لا ملفات مواقع.
        [one] ملف مواقع واحد، كُتب { $when }.
        [two] ملفا مواقع، أحدثهما كُتب { $when }.
        [few] { $count } ملفات مواقع، أحدثها كُتب { $when }.
        [many] { $count } ملفًا للمواقع، أحدثها كُتب { $when }.
       *[other] { $count } ملف مواقع، أحدثها كُتب { $when }.
    }
geo-download = تنزيل بيانات المواقع
geo-update = تنزيل ملفات هذا الشهر
geo-downloading = جارٍ تنزيل { $file }: { $done } من { $total } ميغابايت
geo-downloading-unsized = جارٍ تنزيل { $file }: { $done } ميغابايت
geo-downloaded = نُزّلت بيانات المواقع. ستُحدَّد أماكن الجلسات من الآن.
geo-folder = مجلد ملفات مواقع يُقرأ أيضًا
geo-folder-hint = مجلد يحدّثه برنامج آخر، مثل geoipupdate من MaxMind (ملفات ‎.mmdb‎، أو ‎.csv‎ لمزوّدي الإنترنت). اتركه فارغًا لاستخدام ملفات Keepwatch وحدها.
geo-choose-folder = اختيار…
geo-use-folder = استخدام هذا المجلد
geo-folder-saved = حُفظ المجلد: { $count ->
        [zero] لا ملفات مواقع فيه.
        [one] قُرئ منه ملف مواقع واحد.
        [two] قُرئ منه ملفا مواقع.
        [few] قُرئت منه { $count } ملفات مواقع.
        [many] قُرئ منه { $count } ملفًا للمواقع.
       *[other] قُرئ منه { $count } ملف مواقع.
    }

## Accounts and sign-in

accounts-title = الحسابات
add-account = إضافة حساب
server-url = عنوان خدمة الحساب
found-matrix = خادم Matrix: سجّل الدخول باسم المستخدم وكلمة المرور.
found-keepwatch-api = خادم حسابات بواجهة Keepwatch.
matrix-user = اسم المستخدم
matrix-sign-in-unsupported = يسجّل هذا الخادم الدخول عبر OAuth 2.0 أو الدخول الموحّد، ولا يدعمهما Keepwatch بعد.
email = البريد الإلكتروني
totp-code = الرمز المكوّن من 6 أرقام من تطبيق المصادقة
totp-prompt = يستخدم هذا الحساب المصادقة الثنائية. أدخل الرمز الحالي من تطبيق المصادقة.
remember-account = تذكّر هذا الحساب على هذا الحاسوب
trust-existing = الجلسات المسجَّل دخولها الآن جلساتي
trust-existing-hint = تصبح أجهزتها وبلدانها مألوفة. ألغِ التحديد إن لم تكن متأكدًا: سينبّهك Keepwatch حينها إلى كل جلسة لا يعرفها.
trust-device = الوثوق بهذا الحاسوب لمدة 30 يومًا (تخطّي طلب المصادقة الثنائية)
sign-in = تسجيل الدخول
signing-in = جارٍ تسجيل الدخول…
switch-to = التبديل إلى هذا الحساب
active-account = نشط
signed-out = غير مسجَّل الدخول
sign-out-account = تسجيل الخروج
forget-account = تسجيل الخروج والنسيان

## Errors, worded for people

error-account-locked = أدّت محاولات الدخول الفاشلة الكثيرة إلى قفل هذا الحساب. يمكنك المحاولة مجددًا بعد { $time }.
error-account-locked-no-time = أدّت محاولات الدخول الفاشلة الكثيرة إلى قفل هذا الحساب. يُرفع معظم القفل تلقائيًا بعد 30 دقيقة.
error-ip-blocked = رُفض تسجيل الدخول: عنوان شبكة هذا الحاسوب في قائمة حظر العناوين للحساب. سجّل الدخول من شبكة أخرى، أو أزل العنوان من القائمة من جهاز مسجَّل الدخول.
error-ip-blocked-time = رُفض تسجيل الدخول: عنوان شبكة هذا الحاسوب محظور. يُرفع الحظر بعد { $time }.
error-rate-limited = طلبات كثيرة جدًا. أعد المحاولة بعد { $time }.
error-rate-limited-no-time = طلبات كثيرة جدًا. انتظر قليلًا ثم أعد المحاولة.
error-unavailable = لا تستطيع خدمة الحساب الرد الآن. أعد المحاولة لاحقًا.
error-invalid-credentials = البريد الإلكتروني أو كلمة المرور غير صحيحة.
error-invalid-totp = الرمز غير صحيح. تتغيّر الرموز كل 30 ثانية: استخدم الرمز الحالي.
error-totp-required = أدخل الرمز من تطبيق المصادقة.
error-invalid-token = انتهت جلستك لدى خدمة الحساب. سجّل الدخول مجددًا.
error-not-signed-in = سجّل الدخول إلى هذا الحساب أولًا.
error-network = تعذّر الوصول إلى خدمة الحساب. تحقّق من العنوان ومن اتصالك.
error-tls = رُفضت شهادة خدمة الحساب، فلم يُرسل شيء.
error-weak-password = كلمة المرور الجديدة ضعيفة جدًا أو مطابقة للحالية.
error-invalid-value = قيمة خارج ما تسمح به خدمة الحساب.
error-invalid-request = رفضت خدمة الحساب الطلب لأنه غير سليم.
error-current-session = هذه هي الجلسة التي يستخدمها Keepwatch نفسه. سجّل الخروج من قسم الحسابات.
error-not-found = لم يعد موجودًا — ربما أُزيل من قبل.
error-not-connected = غير متصل بخدمة Keepwatch.
error-other = حدث خطأ: { $message }

## About

about-title = حول Keepwatch
about-body = يراقب Keepwatch جلسات حسابك ويخبرك عندما يسجّل أحد الدخول من جهاز أو بلد لا تستخدمه. تُحفظ كلمة مرورك في حافظة مفاتيح حاسوبك فقط.
about-logs = يحتفظ Keepwatch بسجلّ هنا لإرساله مع بلاغ عن خلل (لا يحوي أبدًا كلمة مرور ولا رمزًا ولا مفتاح دخول): { $path }
attribution-title = البيانات
geo-attribution = IP geolocation by DB-IP
geo-licence = مرخّصة بموجب CC BY 4.0
map-attribution = حدود الخريطة: Natural Earth عبر world-atlas (ملكية عامة)
times-note = تُعرض الأوقات بمنطقتك الزمنية ({ $zone }).

## Native surfaces: notifications, the tray menu and dialogs

label-value = { $label }: { $value }
list-separator = { "، " }
new-alerts =
    { $count ->
        [one] تنبيه جديد واحد
        [two] تنبيهان جديدان
        [few] { $count } تنبيهات جديدة
        [many] { $count } تنبيهًا جديدًا
       *[other] { $count } تنبيه جديد
    }
and-more =
    { $count ->
        [one] …وتنبيه آخر
        [two] …وتنبيهان آخران
        [few] …و{ $count } تنبيهات أخرى
        [many] …و{ $count } تنبيهًا آخر
       *[other] …و{ $count } تنبيه آخر
    }
unreviewed-alerts =
    { $count ->
        [zero] لا تنبيهات بانتظار المراجعة
        [one] تنبيه واحد بانتظار المراجعة
        [two] تنبيهان بانتظار المراجعة
        [few] { $count } تنبيهات بانتظار المراجعة
        [many] { $count } تنبيهًا بانتظار المراجعة
       *[other] { $count } تنبيه بانتظار المراجعة
    }
open-keepwatch = فتح Keepwatch
pause-an-hour = إيقاف التنبيهات مؤقتًا لمدة ساعة
resume-alerts = استئناف التنبيهات (موقوفة حتى { $time })
quit = إنهاء
tooltip-offline = Keepwatch: غير متصل
tooltip-unreviewed = Keepwatch: تنبيهات بانتظار المراجعة
tooltip-watching = Keepwatch: يراقب
others-failed-title = تعذّر تسجيل خروج الجلسات الأخرى
others-failed-body = ما زالت الجلسات الأخرى مسجَّلة الدخول: { $reason }.
cannot-start = تعذّر تشغيل Keepwatch: { $reason }
files-repaired-title = أصلح Keepwatch ملفاته

## Units and durations for Rust's own sentences (the window formats these with Intl)

distance-km = { $km } كم
speed-kmh = { $kmh } كم/س
duration-minutes =
    { $minutes ->
        [one] دقيقة واحدة
        [two] دقيقتان
        [few] { $minutes } دقائق
        [many] { $minutes } دقيقة
       *[other] { $minutes } دقيقة
    }
duration-hours = { $hours } س
duration-hours-minutes = { $hours } س { $minutes } د

## The command line (keepwatch); the window's sentences above serve it too where they fit.

cli-signed-in =
    سُجّل الدخول باسم { $account } ({ $sessions ->
        [zero] لا جلسات نشطة
        [one] جلسة نشطة واحدة
        [two] جلستان نشطتان
        [few] { $sessions } جلسات نشطة
        [many] { $sessions } جلسة نشطة
       *[other] { $sessions } جلسة نشطة
    }، { $alerts ->
        [zero] لا تنبيهات
        [one] تنبيه واحد
        [two] تنبيهان
        [few] { $alerts } تنبيهات
        [many] { $alerts } تنبيهًا
       *[other] { $alerts } تنبيه
    }).
cli-session-length =
    جلسات الويب وسطح المكتب: { $web ->
        [zero] لا أيام خمول
        [one] يوم خمول واحد
        [two] يوما خمول
        [few] { $web } أيام خمول
        [many] { $web } يومًا من الخمول
       *[other] { $web } يوم خمول
    }؛ تطبيق الهاتف: { $mobile ->
        [zero] لا أيام خمول
        [one] يوم خمول واحد
        [two] يوما خمول
        [few] { $mobile } أيام خمول
        [many] { $mobile } يومًا من الخمول
       *[other] { $mobile } يوم خمول
    }.
cli-history-shown = عُرض { $shown } من { $total }؛ ضيّق البحث أو ارفع ‎--limit‎.
cli-history-shown-more = عُرض { $shown } من أكثر من { $total }؛ ضيّق البحث أو ارفع ‎--limit‎.

# Prompts and questions. The command adds ": " after a prompt and "[Y/n]" after a question.

cli-password-for = كلمة مرور { $name }
cli-sign-out-password = كلمة مرور الحساب (لتأكيد تسجيل الخروج)
cli-two-factor-code = رمز المصادقة الثنائية
cli-keep-history = هل تريد الاحتفاظ بسجلّ { $account } على هذا الحاسوب؟
cli-confirm-sign-out-others = هل تريد تسجيل الخروج من كل الجلسات الأخرى لهذا الحساب (بما فيها أجهزتك الأخرى)؟

# What a command did.

cli-signed-out-history-kept = سُجّل الخروج من { $account }، وحُفظ السجلّ.
cli-signed-out-history-deleted = سُجّل الخروج من { $account }، وحُذف السجلّ.
cli-signed-out-session = سُجّل خروج الجلسة { $id }.
cli-trusted-session = وُثق بالجلسة { $id }: أصبح جهازها وبلدها مألوفين.
cli-alert-acknowledged = وُضعت على التنبيه { $key } علامة «تمت رؤيته».
cli-travel-on = وضع السفر مفعَّل حتى { $until }.
cli-travel-off = وضع السفر متوقف.
cli-exported-to = صُدّر السجلّ إلى { $path }.
cli-two-factor-reset =
    { $codes ->
        [zero] أُعيد ضبط المصادقة الثنائية. السرّ الجديد، بلا رموز احتياطية، في { $path } (لا يقرؤه أحد سواك)؛ أضف السرّ إلى تطبيق المصادقة، ثم احذف الملف.
        [one] أُعيد ضبط المصادقة الثنائية. السرّ الجديد ورمز احتياطي واحد في { $path } (لا يقرؤه أحد سواك)؛ أضف السرّ إلى تطبيق المصادقة، ثم احذف الملف.
        [two] أُعيد ضبط المصادقة الثنائية. السرّ الجديد ورمزان احتياطيان في { $path } (لا يقرؤه أحد سواك)؛ أضف السرّ إلى تطبيق المصادقة، ثم احذف الملف.
        [few] أُعيد ضبط المصادقة الثنائية. السرّ الجديد و{ $codes } رموز احتياطية في { $path } (لا يقرؤه أحد سواك)؛ أضف السرّ إلى تطبيق المصادقة، ثم احذف الملف.
        [many] أُعيد ضبط المصادقة الثنائية. السرّ الجديد و{ $codes } رمزًا احتياطيًا في { $path } (لا يقرؤه أحد سواك)؛ أضف السرّ إلى تطبيق المصادقة، ثم احذف الملف.
       *[other] أُعيد ضبط المصادقة الثنائية. السرّ الجديد و{ $codes } رمز احتياطي في { $path } (لا يقرؤه أحد سواك)؛ أضف السرّ إلى تطبيق المصادقة، ثم احذف الملف.
    }
cli-blocked = حُظر { $range } (البند { $id }).
cli-block-removed = أُزيل البند { $id } من قائمة الحظر.
cli-forgot-trusted-device = نُسي الجهاز الموثوق { $id }؛ سيُطلب منه رمز المصادقة الثنائية عند تسجيل دخوله التالي.

# Empty lists, and the words inside tables.

cli-no-accounts = لا توجد حسابات؛ شغّل ‎`keepwatch login`‎.
cli-no-sessions = لا توجد جلسات.
cli-no-alerts = لا توجد تنبيهات.
cli-blocklist-empty = قائمة الحظر فارغة.
cli-no-withdrawals = لا توجد عمليات سحب.
cli-no-sign-in-attempts = لا توجد محاولات تسجيل دخول.
cli-this-device = هذا الجهاز (جلسة Keepwatch نفسه)
cli-trusted = موثوقة
cli-trusted-by = موثوقة ({ $source })
cli-unknown-place = غير معروف
cli-in-address-book = نعم
cli-not-in-address-book = لا
cli-alert-session = [الجلسة { $id }]

# Table columns.

cli-column-account = الحساب
cli-column-added = تاريخ الإضافة
cli-column-alert = التنبيه
cli-column-amount = المبلغ
cli-column-device = الجهاز
cli-column-ended = الانتهاء
cli-column-first-login = أول دخول
cli-column-first-seen = أول ظهور لدى Keepwatch
cli-column-from-ip = من عنوان IP
cli-column-id = المعرّف
cli-column-in-address-book = في دفتر العناوين
cli-column-ip = عنوان IP
cli-column-isp = مزوّد الإنترنت
cli-column-last-activity = آخر نشاط
cli-column-location = الموقع
cli-column-note = الملاحظة
cli-column-outcome = النتيجة
cli-column-range = النطاق
cli-column-server = الخادم
cli-column-session = الجلسة
cli-column-severity = الخطورة
cli-column-state = الحالة
cli-column-status = الوضع
cli-column-summary = الملخّص
cli-column-title = العنوان
cli-column-to = إلى
cli-column-trusted = تاريخ الوثوق
cli-column-until = حتى
cli-column-when = الوقت

# `keepwatch status`: labels padded to the widest by the command, then their values.

cli-status-account = الحساب:
cli-status-server = الخادم:
cli-status-signed-in = مسجَّل الدخول:
cli-status-last-synced = آخر مزامنة:
cli-status-active-sessions = الجلسات النشطة:
cli-status-open-alerts = التنبيهات غير المحلولة:
cli-status-history = السجلّ:
cli-status-yes = نعم
cli-status-no = لا — شغّل ‎`keepwatch login`‎ مجددًا
cli-status-unknown = غير معروف (غير متصل: { $reason })

# How fresh the data is, and `keepwatch watch` on stderr.

cli-offline = غير متصل — { $synced } ({ $reason })
cli-signed-out-showing-history = تم تسجيل الخروج — يُعرض السجلّ، { $synced }؛ شغّل ‎`keepwatch login`‎ مجددًا
cli-server-unreachable = تعذّر الوصول إلى الخادم
cli-last-synced = آخر مزامنة { $ago }
cli-never-synced = لم تتم المزامنة بعد
cli-just-now = الآن
cli-minutes-ago =
    { $count ->
        [zero] منذ أقل من دقيقة
        [one] منذ دقيقة واحدة
        [two] منذ دقيقتين
        [few] منذ { $count } دقائق
        [many] منذ { $count } دقيقة
       *[other] منذ { $count } دقيقة
    }
cli-hours-ago =
    { $count ->
        [zero] منذ أقل من ساعة
        [one] منذ ساعة واحدة
        [two] منذ ساعتين
        [few] منذ { $count } ساعات
        [many] منذ { $count } ساعة
       *[other] منذ { $count } ساعة
    }
cli-days-ago =
    { $count ->
        [zero] منذ أقل من يوم
        [one] منذ يوم واحد
        [two] منذ يومين
        [few] منذ { $count } أيام
        [many] منذ { $count } يومًا
       *[other] منذ { $count } يوم
    }
cli-watching = جارٍ مراقبة { $account } (‎Ctrl-C‎ للإيقاف).
cli-back-online = عاد الاتصال
cli-live = مباشر: يتابع بثّ أحداث الحساب
cli-action-done = تم: { $action } للجلسة { $session }
cli-action-failed = فشل: { $action } للجلسة { $session }: { $reason }
cli-watch-signed-out = تم تسجيل الخروج؛ شغّل ‎`keepwatch login`‎ مجددًا
cli-watcher-failed = فشل المراقِب: { $reason }
cli-stopping = جارٍ الإيقاف

# Errors, after "keepwatch: " on one line.

cli-cancelled = أُلغي
cli-cannot-start = تعذّر التشغيل: { $reason }
cli-give-email-or-user = حدّد ‎--email‎ أو ‎--user‎
cli-give-session-or-all-others = حدّد معرّف جلسة أو ‎--all-others‎
cli-give-until-or-off = حدّد ‎--until‎ أو ‎--off‎
cli-passwords-differ = كلمتا المرور الجديدتان مختلفتان
cli-cannot-read-ca = تعذّرت قراءة شهادة الجهة المصدِّقة { $path }
cli-cannot-export = تعذّر التصدير إلى { $path }
cli-cannot-create = تعذّر إنشاء { $path } (يجب ألا يكون موجودًا من قبل)
cli-cannot-read-stdin = تعذّرت قراءة الدخل القياسي
cli-stdin-ended = انتهى الدخل القياسي قبل قراءة أي سطر
cli-cannot-read-password = تعذّرت قراءة كلمة المرور
cli-no-terminal-password = لا توجد طرفية لطلب كلمة المرور؛ استخدم ‎--password-stdin‎
cli-no-terminal-prompt = لا توجد طرفية لطلب «{ $prompt }»؛ مرّره كخيار في سطر الأوامر
cli-no-terminal-question = السؤال «{ $question }» يحتاج إلى إجابة ولا توجد طرفية لطرحه؛ مرّر الخيار الذي يجيب عنه (انظر ‎--help‎)
cli-bad-time = تعذّرت قراءة { $text } كوقت: استخدم RFC 3339 أو YYYY-MM-DD أو ‎30m / 24h / 7d‎
cli-time-too-far = { $text } بعيد جدًا في المستقبل
cli-time-in-past = { $text } في الماضي
cli-setting-keys = الإعدادات هي { $keys }
cli-cannot-render-man = تعذّر إنشاء صفحة الدليل
cli-cannot-write-stdout = تعذّرت الكتابة إلى الخرج القياسي

## keepwatch geo
cli-geo-dir = بيانات المواقع في { $dir }
cli-geo-none = لا توجد بيانات مواقع بعد: تُعرض جلسات Matrix بلا أماكن. شغّل ‎`keepwatch geo update`‎ أو ‎`keepwatch geo import FILE…`‎.
cli-geo-places = الأماكن
cli-geo-isps = مزوّدو الإنترنت
cli-geo-downloading = جارٍ تنزيل { $file }: { $done } من { $total } ميغابايت
cli-geo-downloading-unsized = جارٍ تنزيل { $file }: { $done } ميغابايت
cli-geo-folder = يُقرأ أولًا أيضًا: { $folder }
cli-column-file = الملف
cli-column-gives = يعطي
cli-column-size = الحجم
cli-column-written = كُتب في
