"""Languages: named where they can be, German is not English, mixed kk/ru essays get shares.
The texts are short essays written for these tests."""
import pytest

from contest.extraction.core import extract
from contest.extraction.languages import analyze
from tests.extraction import hostile

ZH = ("我的家乡在美丽的天山脚下。每年春天，果园里开满了花。我想成为一名工程师，为人们建造新的桥梁。"
      "法律保护每一个人，但前提是人们了解自己的权利和义务。") * 2
JA = ("私の故郷は美しい山のふもとにあります。春になると果樹園に花が咲きます。私はエンジニアになって、"
      "人々のために新しい橋を作りたいです。法律はすべての人を守りますが、それは人々が自分の権利を知っている場合だけです。")
DE = ("Meine Heimatstadt liegt am Fuße der Berge. Im Frühling blühen die Obstgärten und der Fluss überflutet "
      "die Wiesen. Ich möchte Ingenieur werden und neue Brücken bauen, damit die Menschen sicher zur Arbeit "
      "kommen. Das Gesetz schützt jeden, aber nur wenn die Menschen ihre Rechte kennen.")
TR = ("Memleketim dağların eteğinde küçük bir şehirdir. İlkbaharda bahçeler çiçek açar ve nehir taşar. "
      "Mühendis olmak ve insanlar için yeni köprüler inşa etmek istiyorum. Kanun herkesi korur, ama bu "
      "ancak insanlar haklarını bildiği zaman mümkündür.")
UZ = ("Mening ona shahrim tog'lar etagida joylashgan. Bahorda bog'lar gullaydi va daryo toshadi. "
      "Men muhandis bo'lishni va odamlar uchun yangi ko'priklar qurishni xohlayman. "
      "Qonun har bir insonni himoya qiladi, "
      "lekin bu faqat odamlar o'z huquqlarini bilgandagina mumkin.")
MIXED = (hostile.SAMPLES["kk"] + " ") * 3 + "\n" + (hostile.SAMPLES["ru"] + " ") * 2


@pytest.mark.parametrize(("text", "expected"), [
    (ZH, "zh"), (JA, "ja"), (DE, "de"), (TR, "tr"), (UZ, "uz"),
    (hostile.SAMPLES["en"] * 2, "en"), (hostile.SAMPLES["kk"], "kk"), (hostile.SAMPLES["ru"], "ru"),
])
def test_main_language_is_named(text, expected):
    assert analyze(text)[0] == expected


def test_german_is_not_english():
    main, shares = analyze(DE)
    assert main == "de" and "en" not in shares


def test_mixed_kazakh_russian_essay_reports_its_shares():
    main, shares = analyze(MIXED)
    assert main == "kk"
    assert shares == {"kk": 0.54, "ru": 0.46}  # 3 x 27 Kazakh words, 2 x 35 Russian words
    result = extract(MIXED.encode(), "txt", max_pages=10)
    assert dict(result.language_shares) == shares


def test_russian_essay_quoting_a_kazakh_name_stays_russian():
    main, shares = analyze(hostile.SAMPLES["ru"] + " Автор: Әлихан Бөкейханов.")
    assert main == "ru" and shares["ru"] >= 0.9
