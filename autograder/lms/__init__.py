"""The LMSs a class is graded from and back to: Moodle and Canvas (instructors only).

- download.py: an LMS's "download all submissions" (zip or folder) -> a class folder;
- moodle.py, canvas.py: each LMS's names, from its own source;
- csvtable.py: a grade sheet read and written back changed in its filled cells only;
- graded.py: each participant's grade and comment, from grade-all's CSV and details;
- sheets.py: which row gets which grade, and what is reported;
- roundtrip.py: grade-all's steps before and after the batch.
"""
