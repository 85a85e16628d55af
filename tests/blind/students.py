"""Generated students whose identity is spread over every part of their essay files: body,
headers, footers, sticky notes, metadata, the DOCX thumbnail; in kk, ru and en."""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

import docx
from reportlab.pdfgen import canvas

from contest.demo.generator import FONT, register_font, wrap_lines

LAW = {
    "kk": "Заң – қоғамның тірегі. Әр азамат заңды құрметтеуі керек, себебі тәртіп бәрімізге ортақ. "
          "Құқықтық мәдениет отбасынан басталады. Кішкентай ережелерді сақтау үлкен тәртіпке апарады.",
    "ru": "Закон – опора общества. Каждый гражданин должен уважать закон, потому что порядок нужен "
          "всем. Правовая культура начинается в семье. Маленькие правила ведут к большому порядку.",
    "en": "The law is the backbone of society. Every citizen should respect it, because order belongs "
          "to all of us. Legal culture starts at home. Small rules lead to a great order.",
}


@dataclass(frozen=True)
class Student:
    language: str
    full_name: str
    school: str
    email: str
    phone: str
    body_identity: str  # how the student names themself in the essay
    header: str
    footer: str
    note: str  # a PDF sticky note / DOCX comment-like text
    needles: tuple[str, ...]  # none of these may reach a juror (compared in lower case)
    supervisor: str = ""  # the teacher on the entry's record (Entry.supervisor)
    thanks: str = ""  # a sentence of the essay naming the supervisor

    def paragraphs(self) -> list[str]:
        return [self.body_identity, LAW[self.language] * 3, self.thanks, f"{self.phone} · {self.email}"]


STUDENTS = [
    Student("kk", "Омаров Ержан", "№25 мектеп-гимназия", "erzhan.omarov07@mail.kz", "+7 701 234 56 78",
            "Менің атым Ержан Омаров Жұмабекұлы. Мен Алматы қаласындағы №25 мектеп-гимназиясында оқимын. "
            "Достарым мені Yerzhan деп атайды, ал паспортта Omarov Erzhan деп жазылған. "
            "Ержанның арманы – заңгер болу.",
            "Omarov Yerzhan, 10 сынып", "erzhan.omarov07@mail.kz", "Ержан Омаров, №25",
            ("ержан", "омаров", "yerzhan", "erzhan", "omarov", "жұмабекұлы", "erzhan.omarov07", "701 234",
             "№25", "мектеп-гимназия", "ахметова", "жақсылыққызы", "сәуле"),
            "Ахметова Сәуле Жақсылыққызы, қазақ тілі мұғалімі",
            "Жетекшім Сәуле Ахметова апайға алғыс айтамын."),
    Student("ru", "Петрова Анна Сергеевна", "Гимназия № 56", "anna.petrova56@gmail.com", "8 (707) 765-43-21",
            "Меня зовут Анна Петрова, я учусь в гимназии № 56 города Алматы. Мой инстаграм @anna_petrova56, "
            "страница vk.com/anna.petrova56. По-английски я пишу Anna Petrova. "
            "Анне Сергеевне пятнадцать лет.",
            "Петрова А.С., 9 класс", "8 (707) 765-43-21", "Anna Petrova",
            ("петрова", "анна", "anna", "petrova", "сергеевна", "сергеевне", "anna.petrova56", "765-43-21",
             "гимнази", "@anna_petrova56", "vk.com", "кузнецов", "ивановн", "марии", "мария"),
            "Кузнецова Мария Ивановна, учитель русского языка",
            "Спасибо моему научному руководителю Марии Ивановне Кузнецовой."),
    Student("en", "Aigul Zhumabekova", "Nazarbayev Intellectual School, Almaty", "aigul.zh@nis.edu.kz",
            "87012223344",
            "My name is Aigul Zhumabekova. I study at NIS in Almaty, the Nazarbayev Intellectual School. "
            "At home I am Айгүл, and my grandmother writes Жұмабекова. Find me at instagram.com/aigul_zh.",
            "Zhumabekova Aigul — grade 11", "aigul.zh@nis.edu.kz", "Айгүл Жұмабекова",
            ("aigul", "zhumabekova", "айгүл", "жұмабекова", "aigul.zh", "87012223344", "nis",
             "intellectual school", "instagram.com/aigul_zh", "daniyar", "seitkali"),
            "Mr Daniyar Seitkali, teacher of English",
            "I thank my teacher, Mr Daniyar Seitkali, for his help."),
]


def essay_pdf(s: Student) -> bytes:
    """A PDF with the identity in the body, a header and footer line on the page, a sticky
    note (text annotation) and the document metadata."""
    register_font()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(595, 842), invariant=1)
    c.setAuthor(s.full_name)
    c.setTitle(f"Essay by {s.full_name}")
    c.setSubject(s.email)
    c.setFont(FONT, 9)
    c.drawString(72, 815, s.header)
    c.drawString(72, 30, s.footer)
    c.textAnnotation(s.note, Rect=(400, 700, 550, 760))
    y = 780.0
    c.setFont(FONT, 11)
    for para in s.paragraphs():
        for line in wrap_lines(para, 445, 11):
            c.drawString(72, y, line)
            y -= 16
        y -= 8
    c.showPage()
    c.save()
    return buf.getvalue()


def essay_docx(s: Student) -> bytes:
    """A DOCX with the identity in the body, header, footer, core properties and a thumbnail."""
    d = docx.Document()
    section = d.sections[0]
    section.header.paragraphs[0].text = s.header
    section.footer.paragraphs[0].text = s.footer
    for para in s.paragraphs():
        d.add_paragraph(para)
    d.core_properties.author = s.full_name
    d.core_properties.last_modified_by = s.email
    d.core_properties.comments = s.note
    buf = io.BytesIO()
    d.save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            if item.filename != "docProps/thumbnail.jpeg":  # the template's own thumbnail
                dst.writestr(item, src.read(item))
        dst.writestr("docProps/thumbnail.jpeg", b"\xff\xd8\xff\xe0JFIF" + s.full_name.encode() + b"\xff\xd9")
    return out.getvalue()


def essay_txt(s: Student) -> bytes:
    return "\n\n".join([s.header, *s.paragraphs(), s.footer]).encode("utf-8")


FILES = {"pdf": essay_pdf, "docx": essay_docx, "txt": essay_txt}
