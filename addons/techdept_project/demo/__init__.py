from . import demo_story
from . import routine_story
