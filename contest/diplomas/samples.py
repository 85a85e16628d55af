"""Sample diplomas in kk, ru and en, for previews, the docs and the benchmark.

Run `python -m contest.diplomas.samples OUTDIR` to write sample PDFs.
"""

import io
import sys
from dataclasses import replace
from pathlib import Path

from contest.diplomas.layout import DiplomaContent, render_diploma

HOLDER = "Әлия Қуанышқызы Нұрғалиева"
CODE = "7KQ4-M2XD-9RTP-WC3A"
URL = "https://essay.example.kz/verify/" + CODE

TEXTS = {
    "kk": {
        "issuer": "Алматы қаласы Білім басқармасы",
        "contest_title": "«Менің Қазақстаным» республикалық эссе байқауы",
        "award_title": "I дәрежелі",
        "category": "9–11 сыныптар",
        "topic": "Болашақтың білімі",
        "date_text": "2026 жылғы 15 мамыр",
        "signatories": (("Ғ. Ж. Сәрсенбаева", "Басқарма басшысы"),
                        ("Қ. Ө. Тұрсынов", "Қазылар алқасының төрағасы")),
        "heading": "Диплом",
        "labels": {"awarded_to": "Диплом иегері", "category": "Санат", "topic": "Тақырып",
                   "date": "Күні", "code": "Тексеру коды", "verify_at": "Түпнұсқалығын тексеру:"},
    },
    "ru": {
        "issuer": "Управление образования города Алматы",
        "contest_title": "Республиканский конкурс эссе «Мой Казахстан»",
        "award_title": "I степени",
        "category": "9–11 классы",
        "topic": "Знания будущего",
        "date_text": "15 мая 2026 г.",
        "signatories": (("Г. Ж. Сарсенбаева", "Руководитель управления"),
                        ("К. О. Турсынов", "Председатель жюри")),
        "heading": "Диплом",
        "labels": {"awarded_to": "награждается", "category": "Категория", "topic": "Тема",
                   "date": "Дата", "code": "Код проверки", "verify_at": "Проверить подлинность:"},
    },
    "en": {
        "issuer": "Almaty City Department of Education",
        "contest_title": "National Essay Contest “My Kazakhstan”",
        "award_title": "First Degree",
        "category": "Grades 9–11",
        "topic": "Knowledge of the Future",
        "date_text": "15 May 2026",
        "signatories": (("G. Zh. Sarsenbayeva", "Head of the Department"),
                        ("K. O. Tursynov", "Chair of the Jury")),
        "heading": "Diploma",
        "labels": {"awarded_to": "This diploma is awarded to", "category": "Category",
                   "topic": "Topic", "date": "Date", "code": "Verification code",
                   "verify_at": "Verify this diploma at"},
    },
}


def sample_content(language: str, holder: str = HOLDER, code: str = CODE,
                   logo: bytes | None = None) -> DiplomaContent:
    """A realistic diploma in language (kk, ru or en) for holder, with code in its URL."""
    url = URL.replace(CODE, code)
    return DiplomaContent(holder_name=holder, verification_code=code, verification_url=url,
                          logo=logo, **TEXTS[language])


KINDS = ("award", "participation", "juror_thanks", "teacher_thanks")
KIND_TEXTS = {
    "kk": {
        "participation": {"heading": "Сертификат", "award_title": "Байқау қатысушысы",
                          "awarded_to": "Сертификат иегері"},
        "juror_thanks": {"heading": "Алғыс хат", "award_title": "", "awarded_to": "Алғыс білдіреміз",
                         "body": "Байқаудың қазылар алқасындағы адал еңбегі үшін: 42 эссе оқылып, "
                                 "бағаланды"},
        "teacher_thanks": {"heading": "Алғыс хат", "award_title": "", "awarded_to": "Алғыс білдіреміз",
                           "body": "Байқау жүлдегері Ә. Қ. Нұрғалиеваны дайындағаны үшін"},
    },
    "ru": {
        "participation": {"heading": "Сертификат", "award_title": "Участник конкурса",
                          "awarded_to": "выдан"},
        "juror_thanks": {"heading": "Благодарственное письмо", "award_title": "",
                         "awarded_to": "выражается благодарность",
                         "body": "За добросовестную работу в жюри конкурса: прочитано и оценено 42 эссе"},
        "teacher_thanks": {"heading": "Благодарственное письмо", "award_title": "",
                           "awarded_to": "выражается благодарность",
                           "body": "За подготовку призёра конкурса Ә. Қ. Нұрғалиевой"},
    },
    "en": {
        "participation": {"heading": "Certificate", "award_title": "Participant",
                          "awarded_to": "This certificate is awarded to"},
        "juror_thanks": {"heading": "Letter of thanks", "award_title": "", "awarded_to": "We thank",
                         "body": "For the work on the contest's jury: 42 essays read and scored"},
        "teacher_thanks": {"heading": "Letter of thanks", "award_title": "", "awarded_to": "We thank",
                           "body": "For preparing Ә. Қ. Nurgaliyeva, a prize-winner of the contest"},
    },
}
SUPERVISOR = {"kk": ("Жетекшісі", "Б. С. Ахметова"), "ru": ("Научный руководитель", "Б. С. Ахметова"),
              "en": ("Supervisor", "B. S. Akhmetova")}
TEACHER = "Бақытгүл Серікқызы Ахметова"
JUROR = "Қайрат Өмірзақұлы Тұрсынов"


def sample_document(kind: str, language: str, code: str = CODE) -> DiplomaContent:
    """A sample of each kind of document in kk, ru, en, or bilingual "kk+ru"."""
    if "+" in language:
        first, second = language.split("+")
        return replace(sample_document(kind, first, code), second=sample_document(kind, second, code))
    content = sample_content(language, code=code)
    label, supervisor = SUPERVISOR[language]
    labels = {**content.labels, "supervisor": label}
    if kind == "award":
        return replace(content, labels=labels, supervisor=supervisor)
    texts = dict(KIND_TEXTS[language][kind])
    labels["awarded_to"] = texts.pop("awarded_to")
    holder = {"juror_thanks": JUROR, "teacher_thanks": TEACHER}.get(kind, HOLDER)
    extra = {"supervisor": supervisor} if kind == "participation" else {}
    return replace(content, labels=labels, holder_name=holder, **texts, **extra)


def sample_logo() -> bytes:
    """A small PNG emblem (drawn with Pillow, which reportlab depends on)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (240, 240), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((4, 4, 236, 236), fill=(31, 58, 95, 255))
    draw.ellipse((18, 18, 222, 222), outline=(200, 165, 90, 255), width=6)
    points = [(120, 48), (138, 100), (192, 100), (148, 132), (164, 186),
              (120, 154), (76, 186), (92, 132), (48, 100), (102, 100)]
    draw.polygon(points, fill=(200, 165, 90, 255))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    target.mkdir(parents=True, exist_ok=True)
    for lang in (*TEXTS, "kk+ru"):
        for kind in KINDS:
            document = replace(sample_document(kind, lang), logo=sample_logo())
            (target / f"{kind}-{lang}.pdf").write_bytes(render_diploma(document))


PROTOCOL_TEXTS = {
    "kk": {"title": ("ХАТТАМА", "байқау қазылар алқасы отырысының"),
           "facts": ("Ұйымдастырушы", "Байқау", "Күні", "Өткізілген орны"), "place": "Алматы қаласы",
           "jury": ("Төраға", "Хатшы", "Мүшелері"),
           "method": "Әр эссені кемінде үш қазы бағалады; әр қазының қатаңдығы ескеріліп, "
                     "бағалар қатаңдыққа түзетілген орташа балға біріктірілді (100 балдық шкала).",
           "results": "Нәтижелер", "columns": ("Орын", "Коды", "Авторы", "Мектебі", "Өңірі", "Балы",
                                               "Марапаты"),
           "unranked": "Рейтингке енбеген жұмыстар", "unranked_columns": ("Коды", "Авторы", "Себебі"),
           "reasons": ("бағаланбады", "кері қайтарылды"), "page": "Бет {page} / {pages}",
           "awards": ("I дәрежелі диплом", "II дәрежелі диплом", "III дәрежелі диплом", "Құрмет грамотасы")},
    "ru": {"title": ("ПРОТОКОЛ", "заседания жюри конкурса"),
           "facts": ("Организатор", "Конкурс", "Дата", "Место проведения"), "place": "г. Алматы",
           "jury": ("Председатель", "Секретарь", "Члены жюри"),
           "method": "Каждое эссе оценили не менее трёх членов жюри; с учётом строгости каждого "
                     "оценки сведены в средний балл, скорректированный на строгость (по 100-балльной шкале).",
           "results": "Результаты", "columns": ("Место", "Код", "Автор", "Школа", "Регион", "Балл",
                                                "Награда"),
           "unranked": "Работы, не вошедшие в рейтинг", "unranked_columns": ("Код", "Автор", "Причина"),
           "reasons": ("не оценена", "отозвана"), "page": "Стр. {page} из {pages}",
           "awards": ("Диплом I степени", "Диплом II степени", "Диплом III степени", "Почётная грамота")},
}


def sample_protocol(language: str, entries: int = 40, code: str = CODE):
    """A protocol of `entries` ranked entries in two categories, in kk or ru (or "kk+ru")."""
    import random

    from babel.numbers import format_decimal

    from contest.diplomas.protocol import ProtocolContent, ProtocolGroup, ProtocolRow, UnrankedRow

    langs = language.split("+")
    texts = [PROTOCOL_TEXTS[lang] for lang in langs]

    def both(key, index=None):
        values = [t[key] if index is None else t[key][index] for t in texts]
        return " / ".join(dict.fromkeys(values))

    rng = random.Random(16)
    first = ("Әлия", "Нұрсұлтан", "Айгүл", "Ерасыл", "Дарья", "Іңкәр", "Мирас", "Томирис")
    last = ("Нұрғалиева", "Сәрсенбаев", "Иванова", "Төлеуов", "Жұмабек", "Үсенова")
    groups = []
    for g, category in enumerate(("9–11 сыныптар / 9–11 классы", "Колледждер / Колледжи")):
        count = entries // 2 + (entries % 2 if g == 0 else 0)
        rows = []
        for i in range(count):
            score = 96 - 60 * i / max(count, 1)
            award = both("awards", min(i, 3)) if i < 6 else ""
            rows.append(ProtocolRow(str(i + 1), f"ZT-2026-{g * 5000 + i + 1:04d}",
                                    f"{rng.choice(first)} {rng.choice(last)}",
                                    f"№{rng.randint(1, 180)} мектеп-гимназия", "Алматы облысы",
                                    format_decimal(score, "0.00", locale=langs[0]), award))
        groups.append(ProtocolGroup(category, tuple(rows)))
    return ProtocolContent(
        title=tuple(both("title", i) if len(langs) == 1
                    else f"{texts[0]['title'][i]} / {texts[1]['title'][i]}"
                    for i in range(2)),
        facts=tuple(zip([both("facts", i) for i in range(4)],
                        [TEXTS[langs[0]]["issuer"], TEXTS[langs[0]]["contest_title"],
                         TEXTS[langs[0]]["date_text"], both("place")])),
        jury=((both("jury", 0), "Қ. Ө. Тұрсынов"), (both("jury", 1), "А. Б. Смағұлова"),
              (both("jury", 2), "Д. Е. Ким, Ж. З. Оразбаева, И. К. Петров, Л. М. Нұрланов")),
        method=tuple(t["method"] for t in texts), results_title=both("results"),
        columns=tuple(both("columns", i) for i in range(7)), groups=tuple(groups),
        unranked_title=both("unranked"),
        unranked_columns=tuple(both("unranked_columns", i) for i in range(3)),
        unranked=(UnrankedRow("ZT-2026-9001", "Мирас Төлеуов", both("reasons", 0)),
                  UnrankedRow("ZT-2026-9002", "Дарья Иванова", both("reasons", 1))),
        signatures=((both("jury", 0), "Қ. Ө. Тұрсынов"), (both("jury", 1), "А. Б. Смағұлова")),
        page_label=texts[0]["page"], code_label="Тексеру коды" if langs[0] == "kk" else "Код проверки",
        verification_code=code, verification_url=URL.replace(CODE, code))
