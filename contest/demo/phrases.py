# ruff: noqa: E501  (a text bank: each sentence stays whole on its line)
"""Sentence banks for the demo essays, in Kazakh, Russian and English.

Slots: {name} a person, {city} a town, {age} an age, {n} a number. Topics: "citizen"
(I am a law-abiding citizen!), "road" (Driver and pedestrian), "future" (Looking to the
future without offenses).
"""
from __future__ import annotations

TOPIC_KEYS = ("citizen", "road", "future")

NAMES = {
    "kk": ("Айгерім", "Нұрлан", "Дәурен", "Аружан", "Ерлан", "Мөлдір", "Бауыржан", "Әсел"),
    "ru": ("Дмитрий", "Сергей", "Артём", "Тимур", "Алексей", "Иван", "Руслан", "Максим"),  # masculine forms below
    "en": ("Aruzhan", "Daniyar", "Emily", "Timur", "Madina", "Alex", "Sara", "Yerlan"),
}
CITIES = {
    "kk": ("Алматы", "Астана", "Шымкент", "Қарағанды", "Тараз", "Ақтөбе", "Түркістан", "Семей"),
    "ru": ("Алматы", "Астана", "Караганда", "Павлодар", "Усть-Каменогорск", "Костанай", "Петропавловск"),
    "en": ("Almaty", "Astana", "Karaganda", "Shymkent", "Pavlodar", "Aktobe", "Taraz", "Kostanay"),
}

TITLES = {
    "citizen": {"kk": "Мен заңға бағынатын азаматпын!", "ru": "Я — законопослушный гражданин!",
                "en": "I am a law-abiding citizen!"},
    "road": {"kk": "Жүргізуші және жаяу жүргінші", "ru": "Водитель и пешеход", "en": "Driver and pedestrian"},
    "future": {"kk": "Құқық бұзушылықсыз болашаққа", "ru": "Взгляд в будущее без правонарушений",
               "en": "Looking to the future without offenses"},
}

INTRO = {
    "kk": (
        "Заң — қоғамның тірегі, ал оны құрметтеу әр азаматтың борышы деп ойлаймын.",
        "Бүгінгі таңда құқықтық мәдениет туралы көп айтылады, бірақ ол әр адамның күнделікті ісінен басталады.",
        "Мен бұл тақырыпты таңдадым, себебі ол менің өміріме және достарымның өміріне тікелей қатысты.",
        "Кішкентай кезімнен әкем маған ережені ешкім көрмесе де сақтау керек екенін үйретті.",
    ),
    "ru": (
        "Закон — это опора общества, и уважать его обязан каждый гражданин.",
        "Сегодня много говорят о правовой культуре, но она начинается с поступков каждого человека.",
        "Эта тема мне близка, потому что она касается моей жизни и жизни моих друзей.",
        "С детства отец учил меня соблюдать правила даже тогда, когда никто не видит.",
    ),
    "en": (
        "The law is the backbone of society, and respecting it is the duty of every citizen.",
        "People talk a lot about legal culture today, but it starts with what each of us does every day.",
        "I chose this topic because it touches my own life and the lives of my friends.",
        "Since I was a child my father taught me to follow the rules even when nobody is watching.",
    ),
}

TOPIC = {
    "citizen": {
        "kk": (
            "Заңға бағынатын азамат өз құқықтарын біледі және басқалардың құқығын құрметтейді.",
            "Салық төлеу, қоғамдық орында тәртіп сақтау, үлкенді сыйлау — мұның бәрі азаматтық жауапкершілік.",
            "Мектепте біз Конституцияны оқыдық, сонда әр құқықтың артында міндет тұратынын түсіндім.",
            "Ұсақ құқық бұзушылыққа көз жұма қарау үлкен қылмысқа жол ашады.",
            "Заңды құрметтеу қорқыныштан емес, түсіністіктен туу керек.",
            "Азамат ретінде мен сайлауға қатысып, өз пікірімді заң аясында білдіргім келеді.",
            "Құқықтық сауаттылық адамды алаяқтардан және әділетсіздіктен қорғайды.",
            "Егер әркім өз ауласындағы тәртіпке жауап берсе, қала әлдеқайда қауіпсіз болар еді.",
            "Пара беру мен алу — екеуі де қоғамға зиян келтіретін әрекет.",
            "Заң бәріне бірдей болғанда ғана халық мемлекетке сенеді.",
        ),
        "ru": (
            "Законопослушный гражданин знает свои права и уважает права других людей.",
            "Платить налоги, соблюдать порядок в общественных местах, уважать старших — всё это гражданская ответственность.",
            "В школе мы изучали Конституцию, и стало ясно, что за каждым правом стоит обязанность.",
            "Равнодушие к мелким нарушениям открывает дорогу серьёзным преступлениям.",
            "Уважение к закону должно рождаться не из страха, а из понимания.",
            "Как гражданин я хочу участвовать в выборах и высказывать своё мнение в рамках закона.",
            "Правовая грамотность защищает человека от мошенников и несправедливости.",
            "Если каждый будет отвечать за порядок в своём дворе, город станет намного безопаснее.",
            "Дать взятку и взять взятку — одинаково вредно для общества.",
            "Люди доверяют государству только тогда, когда закон один для всех.",
        ),
        "en": (
            "A law-abiding citizen knows their rights and respects the rights of others.",
            "Paying taxes, keeping order in public places and respecting elders are all parts of civic duty.",
            "At school we studied the Constitution, and I understood that every right comes with a duty.",
            "Ignoring small offenses opens the door to serious crime.",
            "Respect for the law should grow from understanding, not from fear.",
            "As a citizen I want to vote and to express my opinion within the law.",
            "Legal literacy protects people from fraud and from injustice.",
            "If everyone took care of order in their own courtyard, the city would be much safer.",
            "Giving a bribe and taking a bribe harm society in the same way.",
            "People trust the state only when the law is the same for everyone.",
        ),
    },
    "road": {
        "kk": (
            "Жол ережесі жүргізушіге де, жаяу жүргіншіге де бірдей міндетті.",
            "Жаяу жүргінші өткелінде тоқтаған жүргізуші біреудің өмірін сақтап қалуы мүмкін.",
            "Көп жол апаты асығыстықтан және телефонға алаңдаудан болады.",
            "Қараңғы уақытта жарық шағылдырғыш таққан жаяу жүргінші алыстан көрінеді.",
            "Қызыл шамға жүгіріп өту бірнеше секунд үнемдейді, бірақ бүкіл өмірді өзгертуі мүмкін.",
            "Мас күйінде көлік жүргізу — өзіне де, өзгеге де қауіп төндіретін ауыр құқық бұзушылық.",
            "Балаларды автокреслосыз тасымалдау заңға да, ақылға да қайшы.",
            "Жолда бір-бірін құрметтеу — мәдениеттің ең айқын белгісі.",
            "Біздің мектеп жанында жаңа бағдаршам орнатылғаннан кейін апаттар азайды.",
            "Жылдамдықты асыру батырлық емес, жауапсыздық.",
        ),
        "ru": (
            "Правила дорожного движения одинаково обязательны и для водителя, и для пешехода.",
            "Водитель, остановившийся у пешеходного перехода, может спасти чью-то жизнь.",
            "Многие аварии случаются из-за спешки и из-за телефона в руках.",
            "Пешеход со световозвращателем в тёмное время суток виден издалека.",
            "Перебежать на красный свет — значит сэкономить секунды и рискнуть всей жизнью.",
            "Вождение в нетрезвом виде — тяжёлое нарушение, опасное для всех вокруг.",
            "Перевозить детей без автокресла запрещено законом и здравым смыслом.",
            "Взаимное уважение на дороге — самый яркий признак культуры.",
            "После того как у нашей школы поставили новый светофор, аварий стало меньше.",
            "Превышение скорости — это не смелость, а безответственность.",
        ),
        "en": (
            "Traffic rules bind the driver and the pedestrian in the same way.",
            "A driver who stops at a zebra crossing may save someone's life.",
            "Many accidents happen because of haste and a phone in the driver's hand.",
            "A pedestrian wearing a reflector can be seen from far away after dark.",
            "Running across on a red light saves a few seconds and risks a whole life.",
            "Drunk driving is a grave offense that endangers everyone around.",
            "Carrying children without a car seat is against the law and against common sense.",
            "Mutual respect on the road is the clearest sign of culture.",
            "After a new traffic light was installed near our school, there were fewer accidents.",
            "Speeding is not courage but irresponsibility.",
        ),
    },
    "future": {
        "kk": (
            "Құқық бұзушылықсыз болашақ бүгінгі тәрбиеден басталады.",
            "Жастарды спортқа, ғылымға және еріктілікке тарту оларды теріс жолдан сақтайды.",
            "Цифрлық технологиялар полиция мен азаматтар арасындағы сенімді арттыра алады.",
            "Интернеттегі алаяқтық пен кибербуллинг — жаңа заманның жаңа қауіптері.",
            "Мен болашақта заңгер болып, адамдарға өз құқықтарын қорғауға көмектескім келеді.",
            "Әр мектепте құқықтық клуб ашылса, оқушылар заңды қызықты түрде үйренер еді.",
            "Ата-ана мен мұғалімнің үлгісі баланың мінезін қалыптастырады.",
            "Төзбеушілік саясаты жазалау ғана емес, алдын алу да дегенді білдіреді.",
            "Қоғам құқық бұзушылыққа бей-жай қарамаса, қылмыс азаяды.",
            "Болашақтағы Қазақстан — заң үстемдігі орнаған, әділ әрі қауіпсіз ел.",
        ),
        "ru": (
            "Будущее без правонарушений начинается с воспитания сегодня.",
            "Спорт, наука и волонтёрство уберегают молодёжь от дурных поступков.",
            "Цифровые технологии могут укрепить доверие между полицией и гражданами.",
            "Интернет-мошенничество и кибербуллинг — новые угрозы нового времени.",
            "В будущем я хочу стать юристом и помогать людям защищать свои права.",
            "Если в каждой школе откроется правовой клуб, ученики будут изучать закон с интересом.",
            "Пример родителей и учителей формирует характер ребёнка.",
            "Политика нулевой терпимости означает не только наказание, но и профилактику.",
            "Когда общество не равнодушно к нарушениям, преступлений становится меньше.",
            "Казахстан будущего — это справедливая и безопасная страна, где правит закон.",
        ),
        "en": (
            "A future without offenses begins with the upbringing we give today.",
            "Sport, science and volunteering keep young people away from bad choices.",
            "Digital services can build trust between the police and citizens.",
            "Online fraud and cyberbullying are the new dangers of a new age.",
            "In the future I want to become a lawyer and help people defend their rights.",
            "If every school opened a law club, pupils would learn the law with interest.",
            "The example of parents and teachers shapes a child's character.",
            "Zero tolerance means not only punishment but above all prevention.",
            "When society is not indifferent to offenses, there is less crime.",
            "The Kazakhstan of the future is a fair and safe country where the law rules.",
        ),
    },
}

GENERAL = {
    "kk": (
        "Әр адамның жауапкершілігі оның отбасынан басталады.",
        "Құқықтық мәдениет бір күнде қалыптаспайды, ол жылдар бойы тәрбиеленеді.",
        "Біздің сыныпта заң туралы пікірталас өтіп, әркім өз көзқарасын айтты.",
        "Статистикаға сүйенсек, былтыр біздің облыста жасөспірімдер арасындағы құқық бұзушылық {n} пайызға азайған.",
        "Заңды білмеу жауапкершіліктен босатпайды.",
        "Кез келген дау-дамайды күшпен емес, сөзбен және заңмен шешу керек.",
        "Полиция қызметкерлері мектебімізге келіп, қауіпсіздік туралы дәріс оқыды.",
        "Еріктілер тобымен бірге біз ауламызды тазалап, кішкентай балаларға ойын алаңын жөндедік.",
        "Өз қателігін мойындай білу де — азаматтық кемелдіктің белгісі.",
        "Заң мен мораль бір-бірін толықтырады.",
    ),
    "ru": (
        "Ответственность каждого человека начинается в семье.",
        "Правовая культура не складывается за один день, её воспитывают годами.",
        "В нашем классе прошёл диспут о законе, и каждый высказал своё мнение.",
        "По статистике, в прошлом году число правонарушений среди подростков в нашей области снизилось на {n} процентов.",
        "Незнание закона не освобождает от ответственности.",
        "Любой спор нужно решать не силой, а словом и законом.",
        "Сотрудники полиции приходили в нашу школу и рассказывали о безопасности.",
        "Вместе с волонтёрами мы убрали двор и починили детскую площадку.",
        "Умение признать свою ошибку — тоже признак гражданской зрелости.",
        "Закон и мораль дополняют друг друга.",
    ),
    "en": (
        "Every person's sense of responsibility begins in the family.",
        "Legal culture is not built in a day; it is brought up over years.",
        "Our class held a debate about the law, and everyone gave their view.",
        "According to the statistics, offenses among teenagers in our region fell by {n} percent last year.",
        "Ignorance of the law is no excuse.",
        "Any dispute should be settled not by force but by words and by the law.",
        "Police officers came to our school and talked to us about safety.",
        "Together with other volunteers we cleaned our courtyard and repaired the playground.",
        "Being able to admit one's own mistake is also a sign of civic maturity.",
        "Law and morality complete each other.",
    ),
}

EXAMPLE = {
    "kk": (
        "Мысалы, {city} қаласында тұратын {age} жастағы {name} жолда әмиян тауып алып, оны полицияға тапсырды.",
        "Менің көршім {name} {city} көшесінде жаяу жүргіншіге жол бермеген жүргізушіге сабырмен ескерту жасады.",
        "Өткен жылы {city} қаласында оқушылар құқықтық квест ұйымдастырып, оған {n} адам қатысты.",
        "Досым {name} бір кезде ұсақ бұзақылыққа әуес болды, бірақ спорт секциясы оның өмірін өзгертті.",
    ),
    "ru": (
        "Например, {age}-летний {name} из города {city} нашёл на улице кошелёк и отнёс его в полицию.",
        "Мой сосед {name} спокойно сделал замечание водителю, который не пропустил пешехода на улице в городе {city}.",
        "В прошлом году школьники города {city} провели правовой квест, в котором участвовали {n} человек.",
        "Мой друг {name} когда-то увлекался мелким хулиганством, но спортивная секция изменила его жизнь.",
    ),
    "en": (
        "For example, {name}, a {age}-year-old from {city}, found a wallet in the street and took it to the police.",
        "My neighbour {name} calmly spoke to a driver in {city} who had not let a pedestrian cross.",
        "Last year pupils in {city} ran a law quest, and {n} people took part in it.",
        "My friend {name} was once drawn to petty hooliganism, but a sports club changed their life.",
    ),
}

CONNECTORS = {
    "kk": ("Сонымен қатар, ", "Бұдан бөлек, ", "Менің ойымша, ", "Айта кету керек, ", "Әрине, ", "Айта берсек, "),
    "ru": ("Кроме того, ", "Более того, ", "На мой взгляд, ", "Следует отметить, что ", "Конечно, ",
           "Добавлю, что "),
    "en": ("Moreover, ", "Besides, ", "In my view, ", "It is worth noting that ", "Of course, ",
           "Also, "),
}

WEAK = {
    "kk": ("Заң өте маңызды.", "Барлығы заңды сақтау керек.", "Бұл өте жақсы нәрсе.",
           "Мен де солай ойлаймын.", "Құқық бұзушылық жаман."),
    "ru": ("Закон очень важен.", "Все должны соблюдать закон.", "Это очень хорошо.",
           "Я тоже так думаю.", "Нарушать закон плохо."),
    "en": ("The law is very important.", "Everybody must obey the law.", "This is very good.",
           "I think so too.", "Breaking the law is bad."),
}

CONCLUSION = {
    "kk": (
        "Қорыта айтқанда, заңға бағыну — еркіндікті шектеу емес, оны қорғау.",
        "Сондықтан мен бүгіннен бастап өзімнен бастауға шешім қабылдадым.",
        "Құқық бұзушылыққа төзбеушілік әрқайсымыздың күнделікті таңдауымыз болуы тиіс.",
        "Әділ қоғамды біз өз қолымызбен құрамыз.",
    ),
    "ru": (
        "Подводя итог, соблюдать закон — значит не ограничивать свободу, а защищать её.",
        "Поэтому начинать нужно с себя, и начинать уже сегодня.",
        "Нулевая терпимость к правонарушениям должна стать ежедневным выбором каждого из нас.",
        "Справедливое общество мы строим своими руками.",
    ),
    "en": (
        "To sum up, obeying the law does not limit freedom; it protects it.",
        "That is why I have decided to start with myself, today.",
        "Zero tolerance to offenses should be a daily choice for each of us.",
        "We build a fair society with our own hands.",
    ),
}

FEEDBACK = {
    "kk": ("Ойыңыз анық, мысалдарыңыз сәтті.", "Дәлелдерді көбейтіп, қорытындыны күшейтіңіз.",
           "Тақырып ашылған, бірақ құрылымына назар аударыңыз."),
    "ru": ("Мысль ясная, примеры удачные.", "Добавьте аргументов и усильте вывод.",
           "Тема раскрыта, но обратите внимание на структуру."),
    "en": ("A clear argument with good examples.", "Add more arguments and strengthen the conclusion.",
           "The topic is covered, but mind the structure."),
}
