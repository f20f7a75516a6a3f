"""nbgrader configuration of the course "CNNs from the pixels up".

Run nbgrader from this folder (`cd course`). `make student` fills `source/`
with a copy of each notebook in ../notebooks (one assignment per notebook,
named after it, e.g. `03_convolution_2d`) and generates the student versions
in `release/`. Everything here but this file is generated and git-ignored.
"""

from nbgrader.converters import GenerateAssignment
from nbgrader.preprocessors import ClearOutput, ClearSolutions

from cnnlib.course import ClearExerciseOutputs, ValueAnswerStubs, cell_timeout

c = get_config()  # noqa: F821 - injected by nbgrader's config loader

c.CourseDirectory.course_id = "cnns-from-the-pixels-up"

# Student versions keep the explanatory outputs and figures, so a learner sees
# the pictures before running anything; only the outputs of the exercises'
# answer and check cells are cleared (they could show a solution's result).
# The answer cell of a value (`shapes = None  # replace None with ...`) keeps no
# `raise NotImplementedError()` after it: replacing None is all the learner has to do.
steps = [
    ClearExerciseOutputs if step is ClearOutput else step
    for step in GenerateAssignment.class_traits()["preprocessors"].default()
]
steps.insert(steps.index(ClearSolutions) + 1, ValueAnswerStubs)
c.GenerateAssignment.preprocessors = steps

c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# When grading, an answer or check cell that runs longer than 20 s (an infinite
# loop) is interrupted and scores 0; the rest of the notebook is still graded.
# nbgrader's single 30 s default would cut notebook 08's training cell (~50 s).
c.Execute.timeout_func = cell_timeout
