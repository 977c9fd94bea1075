"""The kit in French: the catalog is complete, the language is chosen as
documented (ex4i18n.py), switching it changes no number, and a French
release speaks French.

The Spyder kernel run under a French locale is in tests/test_spyder.py.
"""
import re
import shutil

import numpy as np
import pytest

import ex4helpers
import ex4i18n
from autograder import scheme, translations
from autograder.release import stub_source
from commands import ROOT, python

# The French release (conftest.french_release) is made once for this file and
# test_french_grader.py: one pytest-xdist worker runs both.
pytestmark = pytest.mark.xdist_group("french")

NUMBER = re.compile(r"\d+(?:\.\d+)?(?:e[-+]?\d+)?")


def numbers(text):
    """The numbers of a text, sorted (a translation may reorder its words)."""
    return sorted(NUMBER.findall(text))


@pytest.fixture(scope="module")
def template():
    """Every message of the sources, extracted now with babel.cfg."""
    return translations.extract()


# --- the catalog ---------------------------------------------------------------

def test_every_message_of_the_sources_is_translated(template):
    """A message added to the code without its French (or with other
    placeholders, or left fuzzy by an update) fails here: run
    ``python -m autograder.translations update`` and translate it."""
    assert len(template) > 150
    assert translations.problems(template) == []


def test_a_new_message_without_its_translation_fails_the_check(template):
    from babel.messages.catalog import Catalog
    grown = Catalog()
    for message in template:
        if message.id:
            grown.add(message.id, locations=message.locations)
    grown.add("A new verdict on {value}", locations=[("ex4helpers.py", 1)])
    assert translations.problems(grown) == [
        "fr: not translated (ex4helpers.py:1): 'A new verdict on {value}'"]


def test_translations_keep_placeholders_and_numbers():
    """Every French text has its English text's placeholders and numbers
    (identifiers such as Theta1 or a3 included)."""
    catalog = translations.read_catalog("fr")
    assert translations.placeholders("{cost:f} and %(default)s {cost:f}") == \
        ["%(default)s", "{cost:f}"]
    for message in catalog:
        if message.id:
            assert numbers(message.string) == numbers(message.id), message.id


def test_the_instructions_blocks_are_the_ones_above_each_region():
    blocks = [block for name in scheme.STUDENT_FILES
              for block in translations.instruction_blocks((ROOT / name).read_text())]
    assert len(blocks) == 6                       # nnCostFunction.py has two parts
    assert all(message.startswith(("Instructions:", "Part 1:", "Part 2:"))
               for *_where, message in blocks)


# --- the choice of the language --------------------------------------------------

@pytest.mark.parametrize("name, expected", [
    ("fr_FR.UTF-8", "fr"), ("fr", "fr"), ("fr_CA", "fr"), ("French_France", "fr"),
    ("en_US.UTF-8", "en"), ("C", "en"), ("C.UTF-8", "en"), ("POSIX", "en"),
    ("English_United States", "en"), ("de_DE.UTF-8", None), ("", None)])
def test_language_of_a_locale_name(name, expected):
    assert ex4i18n.language_of(name) == expected


def test_system_language_from_the_variables_then_the_user_locale(monkeypatch):
    assert ex4i18n.system_language({"LANG": "fr_FR.UTF-8"}) == "fr"
    assert ex4i18n.system_language({"LC_ALL": "C", "LANG": "fr_FR.UTF-8"}) == "en"
    assert ex4i18n.system_language({"LC_MESSAGES": "fr_BE.UTF-8"}) == "fr"
    assert ex4i18n.system_language({"LANGUAGE": "fr:en", "LANG": "en_US.UTF-8"}) == "fr"
    assert ex4i18n.system_language({"LANG": "de_DE.UTF-8"}) == "en"
    # No variable set (Windows, a macOS app): the user's locale.
    monkeypatch.setattr(ex4i18n.locale, "getlocale", lambda: ("French_France", "1252"))
    assert ex4i18n.system_language({}) == "fr"
    monkeypatch.setattr(ex4i18n.locale, "getlocale", lambda: (None, None))
    assert ex4i18n.system_language({}) == "en"


def test_language_order_command_line_variable_release_system(monkeypatch, tmp_path):
    recorded = tmp_path / "DEFAULT_LANGUAGE"
    monkeypatch.setattr(ex4i18n, "DEFAULT_FILE", recorded)
    french_system = {"LANG": "fr_FR.UTF-8"}
    assert ex4i18n.language([], french_system) == "fr"
    assert ex4i18n.language([], {"LANG": "en_GB.UTF-8"}) == "en"
    recorded.write_text("fr\n")                                 # release --lang fr
    ex4i18n._recorded_default.cache_clear()                     # read once per process
    assert ex4i18n.language([], {"LANG": "en_GB.UTF-8"}) == "fr"
    assert ex4i18n.language([], dict(french_system, EX4_LANG="en")) == "en"
    assert ex4i18n.language(["--lang", "en"], {}) == "en"
    assert ex4i18n.language(["--no-pause", "--lang=fr"], {"EX4_LANG": "en"}) == "fr"
    assert ex4i18n.language([], {"EX4_LANG": "de", "LANG": "C"}) == "fr"   # skipped
    with ex4i18n.speaking("en"):                                # above everything
        assert ex4i18n.language(["--lang", "fr"], {"EX4_LANG": "fr"}) == "en"
    with pytest.raises(ValueError, match="one of en, fr, found 'de'"):
        ex4i18n.set_language("de")


def test_the_po_is_compiled_in_memory_when_newer_than_the_mo(tmp_path, monkeypatch):
    po, _mo = ex4i18n.catalog_files("fr")
    folder = tmp_path / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    shutil.copyfile(po, folder / "ex4.po")
    (folder / "ex4.mo").write_bytes(b"stale")                  # older than the .po
    import os
    os.utime(folder / "ex4.mo", (1, 1))
    monkeypatch.setattr(ex4i18n, "LOCALES", tmp_path)
    monkeypatch.setattr(ex4i18n, "_catalogs", {})
    assert ex4i18n.translations("fr").gettext("Stopped: {reason}") == "Arrêt : {reason}"


# --- switching the language changes no number --------------------------------------

def _verdicts_and_printouts(capsys):
    """The texts of ex4.py's steps (the helpers it calls), in the current language."""
    from checkNNGradients import checkNNGradients
    from trainNeuralNetwork import trainNeuralNetwork
    texts = [ex4helpers.cost_verdict(0.287629, 0), ex4helpers.cost_verdict(0.384488, 1),
             ex4helpers.cost_verdict(0.12, 3),
             ex4helpers.sigmoid_gradient_verdict([0.196612, 0.235004, 0.25, 0.235004,
                                                  0.196612]),
             ex4helpers.sigmoid_gradient_verdict(np.zeros(5)),
             ex4helpers.gradient_check_verdict(2.4e-11, 0),
             ex4helpers.gradient_check_verdict(0.0123, 3, grad=np.ones(38)),
             ex4helpers.accuracy_verdict(96.4, 50, 1.0), ex4helpers.accuracy_verdict(80.5, 50, 1),
             ex4helpers.accuracy_verdict(99.1, 200, 0.0),
             ex4helpers.stub_message("sigmoid", "sigmoid.py")]
    checkNNGradients(3)
    from checkNNGradients import debug_problem
    params, X, y = debug_problem()
    trainNeuralNetwork(params, 3, 5, 3, X, y, 1.0, maxiter=3)
    return texts + [capsys.readouterr().out]


def test_switching_the_language_changes_no_number(capsys, monkeypatch):
    monkeypatch.setattr(ex4helpers, "_mistakes", {"regularized_cost": {
        "regularize_bias": ["the bias weights are regularised: leave out the first column "
                            "of Theta1 and Theta2 (Theta[:, 1:]) from the regularisation, "
                            "in the cost and in the gradient", 0.384488]}})
    with ex4i18n.speaking("en"):
        english = _verdicts_and_printouts(capsys)
    with ex4i18n.speaking("fr"):
        french = _verdicts_and_printouts(capsys)
    assert len(english) == len(french)
    for en, fr in zip(english, french):
        assert en != fr
        assert numbers(en) == numbers(fr), (en, fr)
    assert french[1].splitlines() == [
        "Verdict : faux, 0.384488 n'est pas le 0.383770 de l'énoncé.",
        "Erreur probable : les poids de biais sont régularisés : laissez la première colonne "
        "de Theta1 et de Theta2 (Theta[:, 1:]) hors de la régularisation, dans le coût comme "
        "dans le gradient."]
    assert "Différence relative : " in french[-1] and "Itération    3 | Coût : " in french[-1]


def test_a_stubs_message_is_shown_in_the_current_language():
    english = "sigmoid is not implemented yet: complete sigmoid.py"
    french = "sigmoid n'est pas encore écrite : complétez sigmoid.py"
    with ex4i18n.speaking("fr"):
        assert ex4helpers._in_current_language(english) == french
        assert ex4helpers._in_current_language("my own error") == "my own error"
    with ex4i18n.speaking("en"):
        assert ex4helpers._in_current_language(french) == english


def test_stub_source_in_french_translates_the_instructions_only():
    text = (ROOT / "nnCostFunction.py").read_text()
    french = stub_source(text, "nnCostFunction.py", "fr")
    english = stub_source(text, "nnCostFunction.py")
    compile(french, "nnCostFunction.py", "exec")
    assert "# Partie 2 : rétropropagation, les gradients Theta1_grad et Theta2_grad" in french
    assert "# ====================== VOTRE CODE ICI ======================" in french
    assert ('raise NotImplementedError("nnCostFunction n\'est pas encore écrite : '
            'complétez nnCostFunction.py")') in french
    assert "Instructions:" not in french and "YOUR CODE HERE" not in french
    # Outside the instruction blocks, the two stubs are the same lines.
    assert len(french.splitlines()) - len(english.splitlines()) == 2
    assert french.split('"""')[1] == english.split('"""')[1]          # the docstring


# --- a French release ---------------------------------------------------------------

def test_french_release_readme_language_and_stubs(french_release):
    folder = french_release
    assert (folder / "README.md").read_text() == (ROOT / "docs" / "students.fr.md").read_text()
    assert (folder / "locales" / "DEFAULT_LANGUAGE").read_text() == "fr\n"
    assert (folder / "locales" / "fr" / "LC_MESSAGES" / "ex4.mo").stat().st_size > 10000
    assert not list(folder.rglob("*.po"))
    for name in scheme.STUDENT_FILES:
        text = (folder / name).read_text()
        assert "# Instructions : " in text and "VOTRE CODE ICI" in text, name
    for target in re.findall(r"\]\(([^)\s]+)\)", (folder / "README.md").read_text()):
        if not re.match(r"[a-z]+:|#", target):
            assert (folder / target.split("#")[0]).exists(), f"README links to {target}"


@pytest.mark.slow
def test_ex4_in_a_french_release_stops_and_judges_in_french(french_release, tmp_path):
    """The untouched release stops on one French line; with a student's files
    whose gradient is regularised with lambda/(2m), the verdicts are French
    and name the mistake."""
    folder = tmp_path / "etudiant"
    shutil.copytree(french_release, folder)
    french = {"EX4_LANG": None, "LANG": "C.UTF-8", "LC_ALL": None}   # the release decides
    result = python("ex4.py", "--no-pause", cwd=folder, env=french)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip() == "Arrêt : sigmoid n'est pas encore écrite : complétez sigmoid.py"
    assert "Vérification de la fonction sigmoïde ..." in result.stdout
    for path in (ROOT / "tests" / "students" / "wrong_grad_lambda_over_2m").glob("*.py"):
        shutil.copyfile(path, folder / path.name)
    result = python("ex4.py", "--no-pause", "--maxiter", "2", cwd=folder, env=french)
    assert result.returncode == 0, result.stderr[-2000:]
    out = result.stdout
    assert "Verdict : juste, aux 6 décimales affichées." in out
    assert "Verdict : juste, les valeurs de l'énoncé aux 6 décimales affichées." in out
    assert re.search(r"Verdict : faux, \S+ n'est pas sous 1e-9 : la rétropropagation et le "
                     r"gradient numérique ne concordent pas\.\nErreur probable : la "
                     r"régularisation du gradient utilise lambda/\(2m\), le facteur du coût",
                     out), out
    assert "Itération    2 | Coût : " in out
    assert "Précision sur l'ensemble d'entraînement : " in out
    assert "(Les 95.3% de l'énoncé valent pour 50 itérations avec lambda = 1 ; cette " \
           "exécution : 2 itérations, lambda = 1.)" in out
    assert "Verdict: " not in out and "Stopped" not in result.stderr
