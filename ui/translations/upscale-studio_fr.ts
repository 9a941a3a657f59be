<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR" sourcelanguage="en">
<context>
    <name>AdvancedPanel</name>
    <message>
        <source>Advanced</source>
        <translation>Avancé</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>Précision</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>Taille des lots</translation>
    </message>
    <message>
        <source>Workers</source>
        <translation>Processus de calcul</translation>
    </message>
    <message>
        <source>Tile size</source>
        <translation>Taille des tuiles</translation>
    </message>
    <message>
        <source>Auto</source>
        <translation>Auto</translation>
    </message>
    <message>
        <source> px</source>
        <translation> px</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Appareil</translation>
    </message>
    <message>
        <source>Output scale</source>
        <translation>Échelle de sortie</translation>
    </message>
    <message>
        <source>Model&apos;s own</source>
        <translation>Celle du modèle</translation>
    </message>
    <message>
        <source>Show or hide the engine settings: precision, batch size, workers, tiles, device and output scale.</source>
        <translation>Afficher ou masquer les réglages du moteur : précision, taille des lots, processus, tuiles, appareil et facteur d&apos;agrandissement.</translation>
    </message>
    <message>
        <source>The number format the network computes in. FP16 and BF16 halve the memory and are faster on GPUs; FP32 is exact everywhere; the model&apos;s own keeps what the file holds.</source>
        <translation>Le format des nombres dans lequel le réseau calcule. FP16 et BF16 divisent la mémoire par deux et sont plus rapides sur GPU ; FP32 est exact partout ; « celui du modèle » garde le format du fichier.</translation>
    </message>
    <message>
        <source>How many video frames go through the network at once. Larger batches are faster on a GPU and use more memory; 1 to 2 suits the CPU.</source>
        <translation>Nombre d&apos;images vidéo traitées ensemble par le réseau. Des lots plus grands sont plus rapides sur GPU et prennent plus de mémoire ; 1 ou 2 convient au processeur.</translation>
    </message>
    <message>
        <source>How many copies of the network run side by side, each on its own thread. More workers use more memory.</source>
        <translation>Nombre de copies du réseau qui travaillent en parallèle, chacune sur son propre fil. Plus de processus prennent plus de mémoire.</translation>
    </message>
    <message>
        <source>Large pictures are upscaled in square tiles of this size, so that they fit in memory. Auto picks a size from the free memory; smaller tiles use less memory and are slower.</source>
        <translation>Les grandes images sont agrandies par tuiles carrées de cette taille pour tenir en mémoire. Auto choisit une taille selon la mémoire libre ; des tuiles plus petites prennent moins de mémoire et sont plus lentes.</translation>
    </message>
    <message>
        <source>Where the network runs: Automatic takes the first GPU when there is one, else the CPU.</source>
        <translation>Où le réseau s&apos;exécute : Automatique prend le premier GPU s&apos;il y en a un, sinon le processeur.</translation>
    </message>
    <message>
        <source>How much larger the result is. The model&apos;s own scale (usually 4) is the sharpest; other values resize its result.</source>
        <translation>De combien le résultat est agrandi. Le facteur du modèle (souvent 4) est le plus net ; les autres valeurs redimensionnent son résultat.</translation>
    </message>
</context>
<context>
    <name>ErrorText</name>
    <message>
        <source>The output &apos;%1&apos; already exists.</source>
        <translation>Le fichier de sortie « %1 » existe déjà.</translation>
    </message>
    <message>
        <source>The frame file &apos;%1&apos; already exists.</source>
        <translation>Le fichier d&apos;image « %1 » existe déjà.</translation>
    </message>
    <message>
        <source>An interrupted run of &apos;%1&apos; left finished parts behind.</source>
        <translation>Un traitement interrompu de « %1 » a laissé des parties terminées.</translation>
    </message>
    <message>
        <source>A video cannot be saved as the image &apos;%1&apos;.</source>
        <translation>Une vidéo ne peut pas être enregistrée comme l&apos;image « %1 ».</translation>
    </message>
    <message>
        <source>The container of &apos;%1&apos; cannot hold the chosen codec.</source>
        <translation>Le conteneur de « %1 » ne peut pas contenir le codec choisi.</translation>
    </message>
    <message>
        <source>The chosen codec cannot write &apos;%1&apos;.</source>
        <translation>Le codec choisi ne peut pas écrire « %1 ».</translation>
    </message>
    <message>
        <source>The video encoder cannot write &apos;%1&apos; with these settings.</source>
        <translation>L&apos;encodeur vidéo ne peut pas écrire « %1 » avec ces réglages.</translation>
    </message>
    <message>
        <source>The chosen device is not available on this computer.</source>
        <translation>L&apos;appareil choisi n&apos;est pas disponible sur cet ordinateur.</translation>
    </message>
    <message>
        <source>No model was found.</source>
        <translation>Aucun modèle n&apos;a été trouvé.</translation>
    </message>
    <message>
        <source>The model &apos;%1&apos; was not found.</source>
        <translation>Le modèle « %1 » est introuvable.</translation>
    </message>
    <message>
        <source>&apos;%1&apos; was not found.</source>
        <translation>« %1 » est introuvable.</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not in a format Upscale Studio can read or write.</source>
        <translation>« %1 » n&apos;est pas dans un format qu&apos;Upscale Studio sait lire ou écrire.</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is damaged or incomplete.</source>
        <translation>« %1 » est endommagé ou incomplet.</translation>
    </message>
    <message>
        <source>The model does not fit its architecture.</source>
        <translation>Le modèle ne correspond pas à son architecture.</translation>
    </message>
    <message>
        <source>&apos;%1&apos; cannot be read or written.</source>
        <translation>« %1 » ne peut être ni lu ni écrit.</translation>
    </message>
    <message>
        <source>The disk is full: &apos;%1&apos; cannot be written.</source>
        <translation>Le disque est plein : « %1 » ne peut pas être écrit.</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is larger than the pixel limit.</source>
        <translation>« %1 » dépasse la limite de pixels.</translation>
    </message>
    <message>
        <source>The device ran out of memory while upscaling &apos;%1&apos;.</source>
        <translation>L&apos;appareil a manqué de mémoire en agrandissant « %1 ».</translation>
    </message>
    <message>
        <source>Cancelled: &apos;%1&apos; was not finished.</source>
        <translation>Annulé : « %1 » n&apos;a pas été terminé.</translation>
    </message>
    <message>
        <source>&apos;%1&apos; cannot be upscaled with these settings.</source>
        <translation>« %1 » ne peut pas être agrandi avec ces réglages.</translation>
    </message>
    <message>
        <source>An unexpected error stopped &apos;%1&apos;.</source>
        <translation>Une erreur inattendue a arrêté « %1 ».</translation>
    </message>
    <message>
        <source>Choose Keep both or Replace under If the output exists, or another output folder, then press Start.</source>
        <translation>Choisissez Conserver les deux ou Remplacer sous Si la sortie existe, ou un autre dossier de sortie, puis appuyez sur Démarrer.</translation>
    </message>
    <message>
        <source>Choose another output folder with Choose..., then press Start.</source>
        <translation>Choisissez un autre dossier de sortie avec Choisir…, puis appuyez sur Démarrer.</translation>
    </message>
    <message>
        <source>Once that is fixed, press Resume: finished work is kept.</source>
        <translation>Une fois le problème réglé, appuyez sur Reprendre : le travail terminé est conservé.</translation>
    </message>
    <message>
        <source>Press Resume to continue it, or choose Replace under If the output exists to start over.</source>
        <translation>Appuyez sur Reprendre pour le continuer, ou choisissez Remplacer sous Si la sortie existe pour tout recommencer.</translation>
    </message>
    <message>
        <source>Choose another model in the Model list, or add a model file with Add model....</source>
        <translation>Choisissez un autre modèle dans la liste Modèle, ou ajoutez un fichier de modèle avec Ajouter un modèle….</translation>
    </message>
    <message>
        <source>Choose CPU or Automatic under Advanced &gt; Device.</source>
        <translation>Choisissez CPU ou Automatique sous Avancé &gt; Appareil.</translation>
    </message>
    <message>
        <source>The file is refused to protect the computer&apos;s memory; use a smaller picture.</source>
        <translation>Le fichier est refusé pour protéger la mémoire de l&apos;ordinateur ; utilisez une image plus petite.</translation>
    </message>
    <message>
        <source>Choose another codec under Video.</source>
        <translation>Choisissez un autre codec sous Vidéo.</translation>
    </message>
    <message>
        <source>Choose another codec, or the MKV container, which holds them all, under Video.</source>
        <translation>Choisissez un autre codec, ou le conteneur MKV, qui les accepte tous, sous Vidéo.</translation>
    </message>
    <message>
        <source>Try another speed preset, quality or codec under Video.</source>
        <translation>Essayez un autre préréglage de vitesse, une autre qualité ou un autre codec sous Vidéo.</translation>
    </message>
    <message>
        <source>Choose a video container under Video.</source>
        <translation>Choisissez un conteneur vidéo sous Vidéo.</translation>
    </message>
    <message>
        <source>Details: %1</source>
        <translation>Détails : %1</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Output file name: {name} is the input&apos;s name, {scale} the output scale, {model} the model.</source>
        <translation>Nom du fichier de sortie : {name} est le nom de l&apos;entrée, {scale} l&apos;échelle de sortie, {model} le modèle.</translation>
    </message>
    <message>
        <source>Upscale Studio</source>
        <translation>Upscale Studio</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modèle</translation>
    </message>
    <message>
        <source>Output folder</source>
        <translation>Dossier de sortie</translation>
    </message>
    <message>
        <source>Beside each input</source>
        <translation>À côté de chaque fichier d&apos;entrée</translation>
    </message>
    <message>
        <source>Choose...</source>
        <translation>Choisir…</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Démarrer</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Langue</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Aide</translation>
    </message>
    <message>
        <source>Add &amp;files...</source>
        <translation>Ajouter des &amp;fichiers…</translation>
    </message>
    <message>
        <source>Ctrl+O</source>
        <translation>Ctrl+O</translation>
    </message>
    <message>
        <source>Add f&amp;older...</source>
        <translation>Ajouter un d&amp;ossier…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <source>Ctrl+Q</source>
        <translation>Ctrl+Q</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>Langue du système</translation>
    </message>
    <message>
        <source>&amp;About Upscale Studio</source>
        <translation>À &amp;propos d&apos;Upscale Studio</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Reprendre</translation>
    </message>
    <message>
        <source>Continue the interrupted job: finished outputs are kept, videos go on after their last saved segment</source>
        <translation>Continuer la tâche interrompue : les résultats terminés sont conservés, les vidéos reprennent après leur dernier segment enregistré</translation>
    </message>
    <message>
        <source>Upscale every waiting, failed or cancelled item; when there is none, the selected items again with the current settings.</source>
        <translation>Agrandir chaque élément en attente, en échec ou annulé ; s&apos;il n&apos;y en a aucun, refaire les éléments sélectionnés avec les réglages actuels.</translation>
    </message>
    <message>
        <source>Stop after the current batch. Finished outputs are kept; Resume continues the rest.</source>
        <translation>Arrêter après le lot en cours. Les résultats terminés sont conservés ; Reprendre continue le reste.</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>Ajuster</translation>
    </message>
    <message>
        <source>Show the whole picture (Ctrl+0)</source>
        <translation>Afficher l&apos;image entière (Ctrl+0)</translation>
    </message>
    <message>
        <source>One pixel of the result per screen pixel (Ctrl+1)</source>
        <translation>Un pixel du résultat par pixel d&apos;écran (Ctrl+1)</translation>
    </message>
    <message>
        <source>Swap</source>
        <translation>Inverser</translation>
    </message>
    <message>
        <source>Swap the before and after sides (X)</source>
        <translation>Inverser les côtés avant et après (X)</translation>
    </message>
</context>
<context>
    <name>QueueWidget</name>
    <message>
        <source>File</source>
        <translation>Fichier</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>État</translation>
    </message>
    <message>
        <source>Size in</source>
        <translation>Taille d&apos;entrée</translation>
    </message>
    <message>
        <source>Size out</source>
        <translation>Taille de sortie</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Retirer</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Vider</translation>
    </message>
    <message>
        <source>&lt;p style=&quot;font-size:large&quot;&gt;&lt;b&gt;Drop pictures, videos or folders here&lt;/b&gt;&lt;/p&gt;&lt;p&gt;or use File &gt; Add files... (Ctrl+O). Then choose a model and press Start.&lt;/p&gt;</source>
        <translation>&lt;p style=&quot;font-size:large&quot;&gt;&lt;b&gt;Déposez ici des images, des vidéos ou des dossiers&lt;/b&gt;&lt;/p&gt;&lt;p&gt;ou utilisez Fichier &gt; Ajouter des fichiers… (Ctrl+O). Choisissez ensuite un modèle et appuyez sur Démarrer.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Remove the selected items from the queue (Delete). Files on disk are not touched.</source>
        <translation>Retirer les éléments sélectionnés de la file (Suppr). Les fichiers sur le disque ne sont pas touchés.</translation>
    </message>
    <message>
        <source>Empty the queue. Files on disk are not touched.</source>
        <translation>Vider la file. Les fichiers sur le disque ne sont pas touchés.</translation>
    </message>
    <message>
        <source>Re-run failed</source>
        <translation>Relancer les échecs</translation>
    </message>
    <message>
        <source>Put every failed and cancelled item back in line for the next Start.</source>
        <translation>Remettre en attente tous les éléments en échec ou annulés pour le prochain Démarrer.</translation>
    </message>
</context>
<context>
    <name>upscale::app::AdvancedPanel</name>
    <message>
        <source>FP16</source>
        <translation>FP16</translation>
    </message>
    <message>
        <source>FP32</source>
        <translation>FP32</translation>
    </message>
    <message>
        <source>None (the model&apos;s own)</source>
        <translation>Aucune (celle du modèle)</translation>
    </message>
    <message>
        <source>Automatic (the first GPU, else the CPU)</source>
        <translation>Automatique (le premier GPU, sinon le CPU)</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>Fastest on NVIDIA GPUs; the CPU runs it as FP32.</source>
        <translation>La plus rapide sur les GPU NVIDIA ; le CPU l&apos;exécute en FP32.</translation>
    </message>
    <message>
        <source>Full precision: runs everywhere, uses more memory.</source>
        <translation>Pleine précision : fonctionne partout, utilise plus de mémoire.</translation>
    </message>
    <message>
        <source>Keeps the model file&apos;s own type (BF16 runs on the CPU too).</source>
        <translation>Garde le type du fichier du modèle (le BF16 fonctionne aussi sur le CPU).</translation>
    </message>
</context>
<context>
    <name>upscale::app::CompareView</name>
    <message>
        <source>Select an item to preview it.</source>
        <translation>Sélectionnez un élément pour le prévisualiser.</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>Avant</translation>
    </message>
    <message>
        <source>After</source>
        <translation>Après</translation>
    </message>
    <message>
        <source>Drag to move the split. Wheel: zoom about the pointer. Middle or right button, or Space and drag: pan. Double click: fit.</source>
        <translation>Faites glisser pour déplacer la séparation. Molette : zoom autour du pointeur. Bouton du milieu ou droit, ou Espace et glisser : déplacer. Double clic : ajuster.</translation>
    </message>
</context>
<context>
    <name>upscale::app::LogPanel</name>
    <message>
        <source>What the program does, with warnings and errors. Right-click to copy, clear, or show debug messages.</source>
        <translation>Ce que fait le programme, avec avertissements et erreurs. Clic droit pour copier, vider ou afficher les messages de débogage.</translation>
    </message>
    <message>
        <source>Copy all</source>
        <translation>Tout copier</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Vider</translation>
    </message>
    <message>
        <source>Show debug messages</source>
        <translation>Afficher les messages de débogage</translation>
    </message>
</context>
<context>
    <name>upscale::app::MainWindow</name>
    <message>
        <source>The name pattern cannot be used</source>
        <translation>Le modèle de nom ne peut pas être utilisé</translation>
    </message>
    <message>
        <source>The model cannot be used</source>
        <translation>Le modèle ne peut pas être utilisé</translation>
    </message>
    <message>
        <source>The output folder cannot be created</source>
        <translation>Le dossier de sortie ne peut pas être créé</translation>
    </message>
    <message>
        <source>The folder &apos;%1&apos; cannot be created. Choose another output folder.</source>
        <translation>Le dossier « %1 » ne peut pas être créé. Choisissez un autre dossier de sortie.</translation>
    </message>
    <message numerus="yes">
        <source>Upscaling %n item(s)...</source>
        <translation>
            <numerusform>Agrandissement de %n élément…</numerusform>
            <numerusform>Agrandissement de %n éléments…</numerusform>
        </translation>
    </message>
    <message>
        <source>The job could not start</source>
        <translation>La tâche n&apos;a pas pu démarrer</translation>
    </message>
    <message>
        <source>Add files</source>
        <translation>Ajouter des fichiers</translation>
    </message>
    <message>
        <source>Images and videos (%1);;All files (*)</source>
        <translation>Images et vidéos (%1);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Add folder</source>
        <translation>Ajouter un dossier</translation>
    </message>
    <message>
        <source>Output folder</source>
        <translation>Dossier de sortie</translation>
    </message>
    <message>
        <source>About Upscale Studio</source>
        <translation>À propos d&apos;Upscale Studio</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Upscale Studio&lt;/b&gt; %1&lt;/p&gt;&lt;p&gt;Enlarges images with neural networks.&lt;/p&gt;&lt;p&gt;GPL-3.0-or-later. The bundled models are Real-ESRGAN&apos;s (BSD-3-Clause).&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Upscale Studio&lt;/b&gt; %1&lt;/p&gt;&lt;p&gt;Agrandit des images avec des réseaux de neurones.&lt;/p&gt;&lt;p&gt;GPL-3.0 ou ultérieure. Les modèles fournis sont ceux de Real-ESRGAN (BSD-3-Clause).&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Cancel the job?</source>
        <translation>Annuler la tâche ?</translation>
    </message>
    <message>
        <source>A job is running. Cancel it and close? Items already done are kept.</source>
        <translation>Une tâche est en cours. L&apos;annuler et fermer ? Les éléments déjà terminés sont conservés.</translation>
    </message>
    <message numerus="yes">
        <source>A job of %n item(s) was interrupted. Press Resume to continue it where it stopped.</source>
        <translation>
            <numerusform>Une tâche de %n élément a été interrompue. Appuyez sur Reprendre pour la continuer là où elle s&apos;est arrêtée.</numerusform>
            <numerusform>Une tâche de %n éléments a été interrompue. Appuyez sur Reprendre pour la continuer là où elle s&apos;est arrêtée.</numerusform>
        </translation>
    </message>
    <message>
        <source>Already in the queue, selected: %1</source>
        <translation>Déjà dans la file, sélectionné : %1</translation>
    </message>
    <message numerus="yes">
        <source>Not added: %1 is not a picture or a video this program can read, or is missing.</source>
        <translation>
            <numerusform>Non ajouté : %1 n&apos;est pas une image ou une vidéo que ce programme sait lire, ou est introuvable.</numerusform>
            <numerusform>Non ajoutés : %1 ne sont pas des images ou des vidéos que ce programme sait lire, ou sont introuvables.</numerusform>
        </translation>
    </message>
    <message>
        <source>Zoom %1×</source>
        <translation>Zoom %1×</translation>
    </message>
    <message>
        <source>Nothing to upscale: add pictures or videos to the queue, or select finished items to run them again.</source>
        <translation>Rien à agrandir : ajoutez des images ou des vidéos à la file, ou sélectionnez des éléments terminés pour les refaire.</translation>
    </message>
    <message>
        <source>The name pattern &apos;%1&apos; must be a file name without a folder, using {name}, {scale} and {model}.</source>
        <translation>Le modèle de nom « %1 » doit être un nom de fichier sans dossier, avec {name}, {scale} et {model}.</translation>
    </message>
    <message>
        <source>Finished in %1 s: %2 done, %3 skipped, %4 failed, %5 cancelled.</source>
        <translation>Terminé en %1 s : %2 faits, %3 ignorés, %4 en échec, %5 annulés.</translation>
    </message>
    <message>
        <source>%1 of %2 frames · measuring the speed...</source>
        <translation>%1 images sur %2 · mesure de la vitesse…</translation>
    </message>
    <message>
        <source>%1 of %2 frames · %3 frames/s · %4 left</source>
        <translation>%1 images sur %2 · %3 images/s · reste %4</translation>
    </message>
    <message>
        <source>Cancelled. Press Resume (or Start) to continue where it stopped.</source>
        <translation>Annulé. Appuyez sur Reprendre (ou Démarrer) pour continuer là où il s&apos;est arrêté.</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Annulé</translation>
    </message>
    <message>
        <source>%1 of %2 frames</source>
        <translation>%1 images sur %2</translation>
    </message>
</context>
<context>
    <name>upscale::app::ModelPicker</name>
    <message>
        <source>%1 (Recommended)</source>
        <translation>%1 (recommandé)</translation>
    </message>
    <message>
        <source>Add model...</source>
        <translation>Ajouter un modèle…</translation>
    </message>
    <message>
        <source>Add model</source>
        <translation>Ajouter un modèle</translation>
    </message>
    <message>
        <source>Model files (%1);;All files (*)</source>
        <translation>Fichiers de modèle (%1);;Tous les fichiers (*)</translation>
    </message>
</context>
<context>
    <name>upscale::app::OutputOptions</name>
    <message>
        <source>Image format</source>
        <translation>Format d&apos;image</translation>
    </message>
    <message>
        <source>Video</source>
        <translation>Vidéo</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>Qualité</translation>
    </message>
    <message>
        <source>If the output exists</source>
        <translation>Si la sortie existe</translation>
    </message>
    <message>
        <source>Same as the input</source>
        <translation>Comme l&apos;entrée</translation>
    </message>
    <message>
        <source>The file format of upscaled images. PNG and TIFF are lossless; JPEG and WebP are smaller.</source>
        <translation>Le format des images agrandies. PNG et TIFF sont sans perte ; JPEG et WebP sont plus légers.</translation>
    </message>
    <message>
        <source>Same container as the input</source>
        <translation>Même conteneur que l&apos;entrée</translation>
    </message>
    <message>
        <source>The container of upscaled videos. MP4 plays everywhere; MKV holds every codec, subtitle and attachment; MOV suits editing software; WebM is for the web.</source>
        <translation>Le conteneur des vidéos agrandies. MP4 se lit partout ; MKV accepte tous les codecs, sous-titres et pièces jointes ; MOV convient aux logiciels de montage ; WebM est pour le web.</translation>
    </message>
    <message>
        <source>%1 animation</source>
        <translation>Animation %1</translation>
    </message>
    <message>
        <source>A GIF or WebP animation keeps each frame&apos;s timing and the transparency; it has no sound.</source>
        <translation>Une animation GIF ou WebP garde la durée de chaque image et la transparence ; elle n&apos;a pas de son.</translation>
    </message>
    <message>
        <source>Usual codec of the container</source>
        <translation>Codec habituel du conteneur</translation>
    </message>
    <message>
        <source>FFV1 (lossless)</source>
        <translation>FFV1 (sans perte)</translation>
    </message>
    <message>
        <source>The video codec. H.264 plays everywhere; H.265 and AV1 give smaller files for the same quality but encode slower; FFV1 is lossless, for archives; ProRes is for editing.</source>
        <translation>Le codec vidéo. H.264 se lit partout ; H.265 et AV1 donnent des fichiers plus légers à qualité égale mais encodent plus lentement ; FFV1 est sans perte, pour l&apos;archivage ; ProRes est pour le montage.</translation>
    </message>
    <message>
        <source>Encoder default</source>
        <translation>Par défaut de l&apos;encodeur</translation>
    </message>
    <message>
        <source>CRF </source>
        <translation>CRF </translation>
    </message>
    <message>
        <source>Constant rate factor for H.264, H.265 and AV1: lower is better and larger. 18 is visually lossless for H.264, 23 its default.</source>
        <translation>Facteur de qualité constante pour H.264, H.265 et AV1 : plus bas, c&apos;est meilleur et plus lourd. 18 est visuellement sans perte en H.264, 23 sa valeur par défaut.</translation>
    </message>
    <message>
        <source>Default speed</source>
        <translation>Vitesse par défaut</translation>
    </message>
    <message>
        <source>Fastest (ultrafast)</source>
        <translation>La plus rapide (ultrafast)</translation>
    </message>
    <message>
        <source>Fast (veryfast)</source>
        <translation>Rapide (veryfast)</translation>
    </message>
    <message>
        <source>Balanced (medium)</source>
        <translation>Équilibrée (medium)</translation>
    </message>
    <message>
        <source>Smallest file (slow)</source>
        <translation>Fichier le plus léger (slow)</translation>
    </message>
    <message>
        <source>The encoder&apos;s speed preset for H.264 and H.265: slower presets give smaller files at the same quality.</source>
        <translation>Le préréglage de vitesse de l&apos;encodeur pour H.264 et H.265 : les préréglages plus lents donnent des fichiers plus légers à qualité égale.</translation>
    </message>
    <message>
        <source>Keep both (numbered name)</source>
        <translation>Conserver les deux (nom numéroté)</translation>
    </message>
    <message>
        <source>Replace</source>
        <translation>Remplacer</translation>
    </message>
    <message>
        <source>Skip the item</source>
        <translation>Ignorer l&apos;élément</translation>
    </message>
    <message>
        <source>When an output file already exists: keep it and write the new one under a numbered name, replace it, or leave it and skip the item.</source>
        <translation>Quand un fichier de sortie existe déjà : le garder et écrire le nouveau sous un nom numéroté, le remplacer, ou le laisser et ignorer l&apos;élément.</translation>
    </message>
</context>
<context>
    <name>upscale::app::QueueWidget</name>
    <message>
        <source>Waiting</source>
        <translation>En attente</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>En cours</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Terminé</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Échec</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Annulé</translation>
    </message>
    <message>
        <source>Running: %1 / %2 frames</source>
        <translation>En cours : %1 / %2 images</translation>
    </message>
    <message numerus="yes">
        <source>Done: %n frame(s)</source>
        <translation>
            <numerusform>Terminé : %n image</numerusform>
            <numerusform>Terminé : %n images</numerusform>
        </translation>
    </message>
    <message>
        <source>Skipped: the output exists</source>
        <translation>Ignoré : la sortie existe</translation>
    </message>
    <message>
        <source>Cancelled at %1 / %2 frames</source>
        <translation>Annulé à %1 / %2 images</translation>
    </message>
</context>
</TS>
