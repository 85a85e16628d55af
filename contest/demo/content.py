# ruff: noqa: E501  (a text bank: each sentence stays whole on its line)
"""The demo contest's set-up, people and severities (data only; seed.py writes it)."""
from __future__ import annotations

from contest.demo.phrases import TITLES, TOPIC_KEYS

DEMO_DOMAIN = "demo.example.kz"

TITLE = {"kk": "Құқық бұзушылыққа мүлдем төзбеушілік", "ru": "Нулевая терпимость к правонарушениям",
         "en": "Zero tolerance to offenses"}
DESCRIPTION = {
    "kk": "Мектеп оқушылары, колледж және университет студенттеріне арналған эссе байқауы. "
          "Құқықтық мәдениет, жол қауіпсіздігі және құқық бұзушылықсыз болашақ туралы жазыңыз.",
    "ru": "Конкурс эссе для школьников, студентов колледжей и вузов. Напишите о правовой культуре, "
          "безопасности на дорогах и будущем без правонарушений.",
    "en": "An essay contest for school, college and university students. Write about legal culture, "
          "road safety and a future without offenses.",
}
TOPICS = [TITLES[key] for key in TOPIC_KEYS]
CATEGORIES = [
    {"kk": "5–8 сыныптар", "ru": "5–8 классы", "en": "Grades 5–8"},
    {"kk": "9–11 сыныптар", "ru": "9–11 классы", "en": "Grades 9–11"},
    {"kk": "Колледж және университет", "ru": "Колледж и вуз", "en": "College and university"},
]
GRADES = (("5", "6", "7", "8"), ("9", "10", "11"), ("1", "2", "3"))


def _level(score, kk, ru, en):
    return {"score": score, "text": {"kk": kk, "ru": ru, "en": en}}


# (name, description, min, max, step, weight, levels)
CRITERIA = [
    ({"kk": "Тақырыпқа сәйкестік", "ru": "Соответствие теме", "en": "Relevance to the topic"},
     {"kk": "Эссе таңдалған тақырыпты ашады ма?", "ru": "Раскрывает ли эссе выбранную тему?",
      "en": "Does the essay address the chosen topic?"},
     0, 10, 1, 1,
     [_level(10, "Тақырып толық ашылған", "Тема раскрыта полностью", "Fully on topic throughout"),
      _level(5, "Тақырыптан ауытқулар бар", "Есть отступления от темы", "Partly on topic"),
      _level(1, "Тақырыпқа сәйкес емес", "Тема не раскрыта", "Off topic")]),
    ({"kk": "Дәлелдер және құқықтық сауаттылық", "ru": "Аргументы и правовая грамотность",
      "en": "Argument and legal literacy"},
     {"kk": "Ойлар дәлелденген бе, заң дұрыс түсінілген бе?",
      "ru": "Обоснованы ли мысли, верно ли понят закон?",
      "en": "Are the ideas supported, is the law understood correctly?"},
     0, 10, 1, 2,
     [_level(10, "Дәлелді, нақты мысалдармен", "Убедительно, с точными примерами",
             "Convincing, with accurate examples"),
      _level(6, "Дәлелдер бар, бірақ жалпылама", "Аргументы есть, но общие", "Some arguments, mostly general"),
      _level(2, "Дәлелсіз пікірлер", "Утверждения без доводов", "Claims without support")]),
    ({"kk": "Құрылым және тіл", "ru": "Структура и язык", "en": "Structure and language"},
     {"kk": "Кіріспе, негізгі бөлім, қорытынды; сауатты тіл.", "ru": "Вступление, основная часть, вывод; грамотность.",
      "en": "Introduction, body, conclusion; correct language."},
     0, 10, 1, 1,
     [_level(10, "Айқын құрылым, таза тіл", "Ясная структура, чистый язык", "Clear structure, clean language"),
      _level(5, "Құрылым әлсіз", "Структура слабая", "Weak structure"),
      _level(0, "Құрылым жоқ", "Структуры нет", "No structure")]),
    ({"kk": "Өзіндік ой", "ru": "Оригинальность", "en": "Originality"},
     {"kk": "Автордың өз көзқарасы мен тәжірибесі.", "ru": "Собственный взгляд и опыт автора.",
      "en": "The author's own view and experience."},
     0, 5, 0.5, 1,
     [_level(5, "Жарқын, өзіндік", "Яркая, самостоятельная работа", "Vivid and personal"),
      _level(2.5, "Кейбір өзіндік ойлар", "Отдельные собственные мысли", "Some personal ideas"),
      _level(0, "Көшірме ойлар", "Общие места", "Commonplaces only")]),
]

TIERS = [
    ({"kk": "I дәрежелі диплом", "ru": "Диплом I степени", "en": "Diploma of the 1st degree"}, 1),
    ({"kk": "II дәрежелі диплом", "ru": "Диплом II степени", "en": "Diploma of the 2nd degree"}, 2),
    ({"kk": "III дәрежелі диплом", "ru": "Диплом III степени", "en": "Diploma of the 3rd degree"}, 3),
]
SIGNATORIES = [
    ("А. Б. Сейтжанов", {"kk": "Институт директоры", "ru": "Директор института", "en": "Director of the Institute"}),
    ("Е. К. Ахметова", {"kk": "Қазылар алқасының төрағасы", "ru": "Председатель жюри",
                        "en": "Chair of the jury"}),
]
ISSUER = {"kk": "Құқық институты", "ru": "Институт права", "en": "Institute of Law"}

ORGANIZER = ("organizer", "Gulnara Tulegenova", "ru")
# (login, full name, language, languages read, category indexes, school, severity on 0..1)
JURORS = [
    ("juror1", "Бекзат Омаров", "kk", ("kk", "ru"), (0, 1, 2), "Құқық институты", -0.13),
    ("juror2", "Ирина Ким", "ru", ("kk", "ru", "en"), (0, 1), "Гимназия № 159", -0.07),
    ("juror3", "David Wilson", "en", ("ru", "en"), (1, 2), "KIMEP University", -0.03),
    ("juror4", "Сәуле Жақсылықова", "kk", ("kk", "ru"), (0, 2), "Полиция академиясы", 0.0),
    ("juror5", "Алексей Смирнов", "ru", ("kk", "ru", "en"), (0, 1, 2), "Адвокатская палата", 0.02),
    ("juror6", "Aigerim Nurpeisova", "en", ("ru", "en"), (0, 1), "Nazarbayev Intellectual School", 0.05),
    ("juror7", "Марат Есенов", "kk", ("kk", "ru"), (1, 2), "Жоғарғы сот", 0.09),
    ("juror8", "Наталья Петренко", "ru", ("kk", "ru", "en"), (0, 2), "Областной суд", 0.13),
]

STUDENT_NAMES = {
    "kk": (("Айгерім", "Аружан", "Әсем", "Мөлдір", "Дана", "Нұрсұлу", "Ерасыл", "Нұрлан", "Дәулет",
            "Бауыржан", "Ғалым", "Ақжол"),
           ("Сейтқали", "Жұмабек", "Әбілқасым", "Төлеген", "Құрманғали", "Нұрланұлы", "Оспан", "Әлібек")),
    "ru": (("Анна", "Мария", "Екатерина", "Дарья", "Полина", "Дмитрий", "Артём", "Никита", "Егор",
            "Тимур", "Максим", "Алина"),
           ("Иваненко", "Ким", "Ли", "Шевченко", "Пак", "Ткаченко", "Цой", "Бондаренко")),
    "en": (("Aruzhan", "Daniyar", "Madina", "Alikhan", "Sofia", "Yerlan", "Amina", "Arman"),
           ("Bekova", "Sadykov", "Abenova", "Tulegenov", "Kassymova", "Omarov")),
}
STUDENT_SCHOOLS = (
    "School-lyceum No. 12", "Gymnasium No. 56", "School No. 3 named after Abai", "Almaty College of Economics",
    "Karaganda Technical College", "Al-Farabi Kazakh National University", "Eurasian National University",
    "Shymkent School No. 41", "Pavlodar Gymnasium No. 9", "Taraz Humanitarian College",
)
REGIONS = ("Almaty", "Astana", "Karaganda region", "Turkistan region", "Pavlodar region", "Zhambyl region")
