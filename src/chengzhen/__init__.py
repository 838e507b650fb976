"""chengzhen (`cz`): a command-line knowledge base of China's new-type
urbanization (新型城镇化) plans."""

__version__ = "0.1.0"
