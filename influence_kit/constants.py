"""Package-wide constants that are not published figures.

Published figures (segment shares, impression totals, readers per post, ...) live only in
the scenario files under ``influence_kit/resources/data/scenarios``; code reads them from a
:class:`~influence_kit.scenarios.Scenario`. What remains here is the toolkit's own choices.
"""

from __future__ import annotations

#: Seed used by the command line, the notebooks and the shipped panel when none is given
#: (the date Forrester published Peer Influence Analysis, 2010-04-20). Library functions
#: follow numpy: ``seed=None`` draws fresh entropy; pass an int or a Generator to repeat.
DEFAULT_SEED = 20100420

#: Name of the scenario used when none is given (shipped in the package).
DEFAULT_SCENARIO = "forrester-us-2009"
