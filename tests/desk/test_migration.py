"""The migrations keep everyone's access (existing organizers own existing contests) and
normalise free-text regions and schools."""
import sqlalchemy as sa
from flask_migrate import upgrade

from contest import create_app
from contest.extensions import db


def test_existing_organizers_become_owners_and_the_first_is_admin(tmp_path, instance_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.sqlite3'}", "TESTING": True})
    with app.app_context():
        upgrade(revision="6407e999d113")
        with db.engine.begin() as conn:
            people = [("organizer", "", ""), ("student", "Актюбинская обл.", "Школа №5"),
                      ("organizer", "", ""), ("student", "Aktobe", "школа 5"), ("student", "Mars", "")]
            for n, (role, region, school) in enumerate(people, start=1):
                conn.execute(sa.text(
                    "INSERT INTO user (id, email, full_name, role, language, school, grade, region, is_minor,"
                    " guardian_consent, publish_name_consent, active, session_version, created_at) VALUES"
                    f" ({n}, 'u{n}@x.kz', 'U{n}', '{role}', 'kk', '{school}', '', '{region}', 0, 0, 0, 1, 0,"
                    " '2026-01-01')"))
            contest = {"id": 7, "code_prefix": "'ZT'", "year": 2026, "title": "'{}'", "description": "'{}'",
                       "rules": "'{}'", "phase": "'open'", "timezone": "'Asia/Almaty'", "formats": "'[]'",
                       "max_file_mb": 10, "max_pages": 30, "min_words": 0, "max_words": 0,
                       "soft_margin_pct": 0,
                       "languages": "'[]'", "entries_per_student": 1, "reviews_per_entry": 3, "blind": 1,
                       "jurors_may_open_files": 0, "same_region_conflict": 0, "show_rubric": 1,
                       "share_feedback": 1, "ranking_method": "'mean'", "ranking_bridging": "'jurors'",
                       "rank_by_topic": 0, "tiebreaks": "'[]'", "disagreement_threshold": 25,
                       "rubric_locked": 0,
                       "participation_certificates": 0, "issuer": "'{}'", "logo_mime": "''",
                       "entry_counter": 0,
                       "created_at": "'2026-01-01'"}
            conn.execute(sa.text(f"INSERT INTO contest ({', '.join(contest)}) VALUES "
                                 f"({', '.join(str(v) for v in contest.values())})"))
        upgrade()
        with db.engine.connect() as conn:
            members = conn.execute(sa.text("SELECT contest_id, user_id, role FROM contest_member"
                                           " ORDER BY user_id")).all()
            admins = conn.execute(sa.text("SELECT id FROM user WHERE is_admin")).scalars().all()
            assert [tuple(r) for r in members] == [(7, 1, "owner"), (7, 3, "owner")]
            assert admins == [1]
            people = conn.execute(sa.text("SELECT id, region, school_id FROM user WHERE role = 'student'"
                                          " ORDER BY id")).all()
            schools = conn.execute(sa.text("SELECT id, region, name FROM school")).all()
            assert len(schools) == 1 and schools[0][1:] == ("aktobe", "Школа №5")
            assert [tuple(p) for p in people] == [(2, "aktobe", schools[0][0]), (4, "aktobe", schools[0][0]),
                                                  (5, "Mars", None)]
        db.engine.dispose()
