"""The grader in French: every text a student reads is a Text of the catalog
(autograder/texts.py), and the language changes the words only: the same
scores, statuses, diagnoses, CSV fields and numbers in both languages.

The catalog's completeness (every said() message translated, with its
placeholders and numbers) is tests/test_french.py's check.
"""
import ast
import pickle
import re
import shutil

import pytest

import ex4data
import ex4i18n
from autograder.feedback import report
from autograder.grade import grade_submission
from autograder.texts import Text, composed, indented, joined, known, said, say
from autograder.verdict import verdict
from commands import ROOT, autograder_command, python

# The tests of this file share module fixtures, and the French release with
# test_french.py (conftest.french_release): one pytest-xdist worker runs both.
pytestmark = pytest.mark.xdist_group("french")

NUMBER = re.compile(r"\d+(?:\.\d+)?(?:e[-+]?\d+)?")
STUDENTS = ROOT / "tests" / "students"


def numbers(text):
    return sorted(NUMBER.findall(text))


# --- the texts ---------------------------------------------------------------------

def test_every_said_message_is_a_plain_string():
    """Babel extracts said("..."): a message built at run time (an f-string,
    a variable) would never be translated."""
    files = sorted((ROOT / "autograder").rglob("*.py")) + [ROOT / "tests" / "conftest.py"]
    bad, count = [], 0
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "said":
                count += 1
                first = node.args[0] if node.args else None
                if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                    bad.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert count > 250 and bad == []


def test_a_text_is_english_and_said_in_french():
    line = indented(said("likely mistake: {sentence}",
                         sentence=known("the labels are 0-based: np.argmax gives 0..K-1, "
                                        "the labels are 1..K (add 1)")))
    both = joined("\n", [line, composed("{a}{b}", a=said("passed"),
                                        b=said(" (in {n} of {total} cases)", n="2", total="3"))])
    assert str(both) == ("    likely mistake: the labels are 0-based: np.argmax gives 0..K-1, "
                         "the labels are 1..K (add 1)\npassed (in 2 of 3 cases)")
    assert say(both, "en") == str(both)
    assert say(both, "fr") == ("    erreur probable : les étiquettes commencent à 0 : np.argmax "
                               "donne 0..K-1, les étiquettes sont 1..K (ajoutez 1)\n"
                               "réussi (dans 2 cas sur 3)")
    # stripped, filled later, pickled (a batch's threads, records): still a Text
    assert say(line.strip(), "fr").startswith("erreur probable : ")
    later = said("{what}: expected {expected}, obtained {obtained}").format(
        what="grad[0]", expected="1.00000", obtained="2.00000")
    assert say(later, "fr") == "grad[0] : attendu 1.00000, obtenu 2.00000"
    assert say(pickle.loads(pickle.dumps(both)), "fr") == say(both, "fr")
    assert isinstance(said("x") + "y", str) and not isinstance(said("x") + "y", Text)
    with ex4i18n.speaking("fr"):
        assert say(said("passed")) == "réussi"


# --- grading in both languages -------------------------------------------------------

# Realistic submissions (tests/students/) and the parts where they fail: a
# modelled mistake, a library drift read from an error, a localised gradient.
GRADED = {"wrong_regularize_bias": ["regularized_cost", "regularized_gradient"],
          "wrong_onehotencoder_sparse": ["cost"],
          "wrong_grad_bias_reg_ones": ["regularized_gradient"]}


@pytest.fixture(scope="module")
def data_only(tmp_path_factory, course_data):
    """A data folder with the course data, without the course weights: the
    cases on the 5000 examples are left out (fast), the note about the
    missing file is there."""
    folder = tmp_path_factory.mktemp("data_only")
    shutil.copyfile(ex4data.DATA_DIR / ex4data.DATA_FILE, folder / ex4data.DATA_FILE)
    return folder


@pytest.fixture(scope="module")
def both_languages(data_only):
    """student -> {lang: (results, the report as the student reads it)}, each
    submission graded once in each language."""
    graded = {}
    for student, parts in GRADED.items():
        for lang in ("en", "fr"):
            with ex4i18n.speaking(lang):
                results = grade_submission(STUDENTS / student, data_dir=data_only,
                                           parts=parts, sandbox="process")
                graded.setdefault(student, {})[lang] = (results, say(report(results)))
    return graded


def test_the_language_changes_no_score_verdict_or_number(both_languages):
    for student, by_lang in both_languages.items():
        (en, en_text), (fr, fr_text) = by_lang["en"], by_lang["fr"]
        assert [(r.score, r.status, r.passed, r.diagnoses) for r in en] == \
               [(r.score, r.status, r.passed, r.diagnoses) for r in fr], student
        assert not any(r.passed for r in en), student
        for part_en, part_fr in zip(en, fr):
            for c_en, c_fr in zip(part_en.cases, part_fr.cases):
                assert (c_en.case.id, c_en.passed, c_en.short, c_en.lines) == \
                       (c_fr.case.id, c_fr.passed, c_fr.short, c_fr.lines)
        # the CSV's status, reason and diagnosis: English, the same
        assert verdict(en) == verdict(fr)
        # what the student reads: the English is the texts' value; the French
        # has the same numbers, and other words
        assert en_text == str(report(en)) == str(report(fr))
        assert numbers(fr_text) == numbers(en_text), student
        assert "likely" not in fr_text and "expected J" not in fr_text, fr_text
        assert "Non disponible (les cas qui en ont besoin n’ont pas été vérifiés) : les poids " \
               "du cours, ex4weights.mat du dossier de données du correcteur" in fr_text


def test_french_feedback_names_the_cause_in_the_course_words(both_languages):
    bias = both_languages["wrong_regularize_bias"]["fr"][1]
    assert "Regularized Cost Function (fonction de coût régularisée)" in bias
    assert "erreur probable : les poids de biais sont régularisés" in bias
    assert "J attendu = 3.64704, J obtenu = 3.83454" in bias
    drift = both_languages["wrong_onehotencoder_sparse"]["fr"][1]
    assert "cause probable : l’argument sparse de OneHotEncoder a été renommé sparse_output " \
           "dans scikit-learn 1.2" in drift
    assert "écrivez OneHotEncoder(sparse_output=False)" in drift
    local = both_languages["wrong_grad_bias_reg_ones"]["fr"][1]
    assert "la colonne de biais" in local and "lambda/m" in local


# --- the commands --------------------------------------------------------------------

def test_grade_lang_fr_prints_french_feedback(data_only):
    result = autograder_command("grade", STUDENTS / "wrong_cost_lambda_over_m", "--lang", "fr",
                                "--parts", "regularized_cost", "--data", data_only,
                                "--sandbox", "process")
    assert result.returncode == 0, result.stderr[-2000:]
    out = result.stdout
    assert out.startswith("Partie ")
    assert "Regularized Cost Function (fonction de coût régularisée)    0 / 15   échoué" in out
    assert "\nCommentaires\n============\n" in out
    assert "erreur probable : " in out and "J attendu = " in out
    assert "likely mistake" not in out and "expected J" not in out


def test_the_self_check_of_a_french_release_speaks_french(french_release, tmp_path):
    folder = tmp_path / "etudiant"
    shutil.copytree(french_release, folder)
    for name in ("sigmoid.py", "sigmoidGradient.py"):
        shutil.copyfile(STUDENTS / "wrong_dot_sigmoidgradient" / name, folder / name)
    french = {"EX4_LANG": None, "LANG": "C.UTF-8", "LC_ALL": None}   # the release decides
    result = python("-m", "pytest", "-k", "sigmoid_gradient", "-p", "no:cacheprovider",
                    cwd=folder, env=french)
    out = result.stdout
    assert result.returncode == 1, out[-3000:]
    assert "Sigmoid Gradient (gradient de la sigmoïde) : 0 / 5" in out
    assert "cause probable : `.dot` et `@` sont le produit matriciel" in out
    assert re.search(r"Note de \S*etudiant", out), out[-3000:]
    assert re.search(r"Sigmoid Gradient \(gradient de la sigmoïde\)\s+0 / 5 +échoué", out)
    assert "likely" not in out and "Score of" not in out


def test_a_text_is_a_str_for_every_str_method():
    """A Text is used where a str is (re, str methods): its attributes shadow
    no method of str."""
    import re
    from autograder import scheme
    from autograder.texts import Text, said
    shadowed = {name for name in vars(said("Sigmoid")) if hasattr(str, name)}
    assert not shadowed, shadowed
    name = scheme.part("cost").name
    assert isinstance(name, Text)
    assert re.escape(name) == r"Feedforward\ and\ Cost\ Function"
    assert re.search(rf"^{re.escape(name)} +\d", f"{name}  30 / 30")
    assert name.translate({ord("F"): "f"}) == "feedforward and Cost function"
