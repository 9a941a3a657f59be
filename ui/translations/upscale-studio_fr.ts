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
        <source>Format</source>
        <translation>Format</translation>
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
</context>
<context>
    <name>QueueWidget</name>
    <message>
        <source>Drop images or folders here, or use File &gt; Add files.</source>
        <translation>Déposez des images ou des dossiers ici, ou utilisez Fichier &gt; Ajouter des fichiers.</translation>
    </message>
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
        <source>Re-run failed</source>
        <translation>Relancer les échecs</translation>
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
    <message>
        <source>GPU %1</source>
        <translation>GPU %1</translation>
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
        <source>Same as the input</source>
        <translation>Comme l&apos;entrée</translation>
    </message>
    <message>
        <source>Nothing to upscale: add images to the queue first.</source>
        <translation>Rien à agrandir : ajoutez d&apos;abord des images à la file.</translation>
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
        <source>Finished: %1 succeeded, %2 failed in %3 s</source>
        <translation>Terminé : %1 réussi(s), %2 en échec en %3 s</translation>
    </message>
    <message>
        <source>Item %1 of %2 · %3 frames/s · ETA %4</source>
        <translation>Élément %1 sur %2 · %3 images/s · reste %4</translation>
    </message>
    <message>
        <source>The job could not start</source>
        <translation>La tâche n&apos;a pas pu démarrer</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Annulé.</translation>
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
        <source>Cancelled. Press Resume to continue where it stopped.</source>
        <translation>Annulé. Appuyez sur Reprendre pour continuer là où la tâche s&apos;est arrêtée.</translation>
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
        <source>Model files (*.safetensors *.pth *.pt *.ckpt *.param);;All files (*)</source>
        <translation>Fichiers de modèle (*.safetensors *.pth *.pt *.ckpt *.param);;Tous les fichiers (*)</translation>
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
        <source>Failed: %1</source>
        <translation>Échec : %1</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Annulé</translation>
    </message>
</context>
</TS>
